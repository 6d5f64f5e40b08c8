using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using TypedBuild.Definition;
using TypedBuild.Processes;

namespace TypedBuild.Caching;

/// <summary>
/// One resolved input: <paramref name="Digest"/> enters the key; <paramref name="Display"/> (already masked, a
/// secret only as <c>(secret)</c>) is what an explanation may show.
/// </summary>
internal sealed record CacheInput(string Kind, string Name, string Digest, string Display)
{
    public string Describe() => $"{Kind} {Name}";
}

/// <summary>A target's inputs as they are now, and the key that hashes them.</summary>
internal sealed record CacheFingerprint(string Target, string Key, IReadOnlyList<CacheInput> Inputs)
{
    /// <summary>Enough of the key to tell entries apart in a summary.</summary>
    public string ShortKey => Key[..12];
}

/// <summary>
/// Where a result was made: the distribution, the runtime's platform and whether the build runs as root. A test
/// result of an unprivileged runner is no result of a root container (file permissions, what the build may install),
/// so through the remote store the two never share an entry; the same image as the same user does.
/// </summary>
internal static class CachePlatform
{
    public static string Current { get; } = $"{Distribution()} {RuntimeInformation.RuntimeIdentifier} {(Environment.IsPrivilegedProcess ? "root" : "non-root")}".TrimStart();

    /// <summary><c>ID VERSION_ID</c> of /etc/os-release ("debian 12"); empty where there is none.</summary>
    private static string Distribution()
    {
        const string release = "/etc/os-release";
        if (!File.Exists(release))
        {
            return string.Empty;
        }

        var fields = File.ReadAllLines(release)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'), StringComparer.Ordinal);
        return $"{fields.GetValueOrDefault("ID")} {fields.GetValueOrDefault("VERSION_ID")}".Trim();
    }
}

/// <summary>
/// Resolves a target's declared inputs and hashes them into its key. Every key also holds the build definition and
/// the engine (their module version ids, which deterministic compilation keeps while the code is unchanged), so a
/// changed target body never reuses an old result, and the <see cref="CachePlatform"/>. Tool versions are asked once
/// per build.
/// </summary>
internal sealed class CacheKeyCalculator(AbsolutePath root, IReadOnlyDictionary<string, string?> environment, IProcessRunner processes, ISecretMasker masker, Type buildType, string platform)
{
    /// <summary>Raised when an entry's layout or the key's composition changes, so old entries are never misread.</summary>
    public const int Format = 2;

    private readonly ConcurrentDictionary<string, Task<CacheInput>> _tools = new(StringComparer.Ordinal);

    public async Task<CacheFingerprint> ComputeAsync(ExecutableTarget target, CancellationToken cancellationToken)
    {
        var definition = $"{buildType.Assembly.ManifestModule.ModuleVersionId:N} {typeof(CacheKeyCalculator).Assembly.ManifestModule.ModuleVersionId:N}";
        var inputs = new List<CacheInput>
        {
            new("build", "definition", FileSet.Digest([definition]), "the build definition or the engine"),
            new("platform", "(distribution, runtime, user)", FileSet.Digest([platform]), platform),
        };
        foreach (var declaration in target.Cache.Inputs)
        {
            switch (declaration)
            {
                case FileInputs files:
                    inputs.AddRange(ResolveFiles(files));
                    break;
                case ValueInput value:
                    inputs.Add(Value("value", value.Name, Text(value.Read())));
                    break;
                case EnvironmentInput variable:
                    inputs.Add(Value("environment variable", variable.Variable, environment.GetValueOrDefault(variable.Variable) is { Length: > 0 } set ? set : null));
                    break;
                case ToolInput tool:
                    // Shared by every target that asks: one target's cancellation must not become the others' answer.
                    inputs.Add(await _tools.GetOrAdd(tool.Name, _ => ToolVersionAsync(tool)).WaitAsync(cancellationToken).ConfigureAwait(false));
                    break;
            }
        }

        var lines = inputs.Select(i => $"{i.Kind}\0{i.Name}\0{i.Digest}").Prepend($"format {Format}\0target {target.Name}");
        return new CacheFingerprint(target.Name, FileSet.Digest(lines), inputs);
    }

    /// <summary>Each matched file is an input of its own, so an explanation names the file; a glob that matches nothing counts too.</summary>
    private IEnumerable<CacheInput> ResolveFiles(FileInputs files)
    {
        var matched = FileSet.Match(root, files.Globs);
        if (matched.Count == 0)
        {
            yield return new CacheInput("files", string.Join(' ', files.Globs), "none", "no file matches");
        }

        foreach (var file in matched)
        {
            yield return new CacheInput("file", file, FileSet.Digest(root / file), file);
        }
    }

    private CacheInput Value(string kind, string name, string? value)
    {
        var display = "unset";
        if (value is not null)
        {
            display = masker.Mask(value) == value ? Shorten(value) : "(secret)";
        }

        return new CacheInput(kind, name, FileSet.Digest([kind, name, value ?? "\0unset"]), display);
    }

    private async Task<CacheInput> ToolVersionAsync(ToolInput tool)
    {
        string? version;
        var shown = string.Empty;
        try
        {
            var result = await processes.RunAsync(
                tool.Executable(),
                tool.Arguments,
                new ProcessOptions { WorkingDirectory = root, LogOutput = false, AllowNonZeroExitCode = true, Timeout = TimeSpan.FromMinutes(1) },
                CancellationToken.None).ConfigureAwait(false);
            version = $"exit {result.ExitCode}: {result.StandardOutput.Trim()}";
            shown = result.StandardOutput.Trim().Split('\n')[0].TrimEnd('\r');
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            version = null;
        }

        return version is null
            ? new CacheInput("tool", tool.Name, "missing", "not installed or not answering")
            : new CacheInput("tool", tool.Name, FileSet.Digest([version]), Shorten(masker.Mask(shown)));
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join('\n', items.Cast<object?>().Select(Text)),
        _ => value.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
