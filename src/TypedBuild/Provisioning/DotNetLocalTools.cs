using System.Text.Json;
using TypedBuild.Processes;

namespace TypedBuild.Provisioning;

/// <summary>
/// The dotnet tools pinned in the root manifest (<c>dotnet-tools.json</c> or <c>.config/dotnet-tools.json</c>),
/// restored with <c>dotnet tool restore</c> into the NuGet package cache. Present when every pinned package
/// version is already in the cache, so a warm build never starts dotnet for this.
/// </summary>
public sealed class DotNetLocalTools : IToolRequirement
{
    public string Name => "dotnet local tools (dotnet-tools.json)";

    /// <summary>The executable and arguments that run a tool command of the manifest: <c>dotnet tool run &lt;command&gt; ...</c>.</summary>
    public static (string Executable, IReadOnlyList<string> Arguments) Command(string command, params string[] arguments)
        => ("dotnet", ["tool", "run", command, "--", .. arguments]);

    /// <summary>Runs a tool command of the manifest from the repository root.</summary>
    public static Task<ProcessResult> RunAsync(
        ProvisioningContext context, string command, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (executable, toolArguments) = Command(command, [.. arguments]);
        options ??= new ProcessOptions();
        return context.Processes.RunAsync(
            executable, toolArguments, options with { WorkingDirectory = options.WorkingDirectory ?? context.RootDirectory }, cancellationToken);
    }

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (FindManifest(context.RootDirectory) is not { } manifest)
        {
            return Task.FromResult(RequirementCheck.Missing(
                $"No dotnet-tools.json in {context.RootDirectory}.",
                "dotnet new tool-manifest && dotnet tool install <package> --version <version>"));
        }

        var missing = PinnedTools(manifest).Where(tool => !IsRestored(tool)).ToList();
        return Task.FromResult(missing.Count == 0
            ? RequirementCheck.Present(manifest)
            : RequirementCheck.Installable($"will run: dotnet tool restore ({string.Join(", ", missing.Select(t => $"{t.Package} {t.Version}"))})"));
    }

    /// <summary>Restored from NuGet with the SDK's own <c>dotnet tool restore</c>, so the SDK is all a machine needs.</summary>
    public string? UnmetOn(DeclaredMachine machine) => machine.Has("dotnet") ? null : "'dotnet' (the .NET SDK) is not on it";

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(context, cancellationToken).ConfigureAwait(false);
        if (check.State == RequirementState.Missing)
        {
            throw new InvalidOperationException($"{check.Detail} Create one with: {check.InstallHint}");
        }

        // Always: packages in the NuGet cache (a CI job's restored cache) are no restore in this home directory, and
        // `dotnet tool run` refuses a tool it has not resolved here. With the packages cached it takes a second.
        await context.Processes.RunAsync(
            "dotnet", ["tool", "restore"], new ProcessOptions { WorkingDirectory = context.RootDirectory }, cancellationToken).ConfigureAwait(false);
        return null;
    }

    internal static string? FindManifest(AbsolutePath root)
        => new[] { root / "dotnet-tools.json", root / ".config" / "dotnet-tools.json" }.Select(p => p.Value).FirstOrDefault(File.Exists);

    internal static IEnumerable<(string Package, string Version)> PinnedTools(string manifest)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("tools", out var tools))
        {
            return [];
        }

        return tools.EnumerateObject()
            .Select(tool => (tool.Name, tool.Value.GetProperty("version").GetString() ?? ""))
            .ToList();
    }

    private static bool IsRestored((string Package, string Version) tool)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.Exists(Path.Combine(cache, tool.Package.ToLowerInvariant(), tool.Version.ToLowerInvariant()));
    }
}
