using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Processes;
using YamlDotNet.RepresentationModel;
using static Build.Tests.Ci.JobContainers.PipelineYaml;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// <c>actions/cache</c> as GitHub's cache service runs it within one workflow run, on folders of
/// <paramref name="store"/> named after their keys: the step restores the entry of its <c>key</c>, else the newest
/// entry whose key starts with one of its <c>restore-keys</c>; a job that succeeded saves its <c>path</c> under the key
/// afterwards, unless the key was an exact hit. Entries are never overwritten, as on GitHub.
/// </summary>
public sealed partial class ActionsCache(IProcessRunner processes, AbsolutePath store)
{
    private const string RunnerHome = "/home/runner";

    private static readonly ProcessOptions Quiet = new() { LogOutput = false, Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>What the job's post step saves: <see cref="Path"/> in the container under <see cref="Key"/>.</summary>
    public sealed record Save(string Key, string Path);

    /// <summary>Restores the step's entry into the running job container; returns the save its post step owes, if any.</summary>
    public async Task<Save?> RestoreAsync(string container, YamlNode with, AbsolutePath workspace, CancellationToken cancellationToken)
    {
        var path = ContainerPath(Text(with, "path") ?? throw new InvalidOperationException("actions/cache without a path."));
        var key = Evaluate(Text(with, "key") ?? throw new InvalidOperationException("actions/cache without a key."), workspace);
        var restoreKeys = (Text(with, "restore-keys") ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(prefix => Evaluate(prefix, workspace))
            .ToList();

        var entry = Find(key, restoreKeys);
        if (entry is not null)
        {
            await processes.RunAsync("docker", ["exec", container, "mkdir", "-p", path], Quiet, cancellationToken);
            await processes.RunAsync("docker", ["cp", $"{entry}/.", $"{container}:{path}"], Quiet, cancellationToken);

            // What docker cp writes is root's; on GitHub the files are the runner's.
            await processes.RunAsync("docker", ["exec", "--user", "0", container, "chown", "-R", "1001:1001", path], Quiet, cancellationToken);
        }

        return entry is not null && Path.GetFileName(entry) == key ? null : new Save(key, path);
    }

    /// <summary>Saves the path under its key, unless an entry of that key exists (another job saved it first).</summary>
    public async Task SaveAsync(string container, Save save, CancellationToken cancellationToken)
    {
        var entry = store / save.Key;
        if (Directory.Exists(entry))
        {
            return;
        }

        Directory.CreateDirectory(store);
        var partial = store / $"{save.Key}.partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        var copied = await processes.RunAsync("docker", ["cp", $"{container}:{save.Path}", partial], Quiet with { AllowNonZeroExitCode = true }, cancellationToken);
        if (copied.ExitCode == 0)
        {
            // The path did not exist: GitHub warns and saves nothing.
            Directory.Move(partial, entry);
        }
    }

    /// <summary>The entry of <paramref name="key"/>, else the newest one whose key starts with the first restore key that matches any.</summary>
    internal AbsolutePath? Find(string key, IReadOnlyList<string> restoreKeys)
    {
        if (!Directory.Exists(store))
        {
            return null;
        }

        if (Directory.Exists(store / key))
        {
            return store / key;
        }

        var entries = new DirectoryInfo(store).EnumerateDirectories()
            .Where(entry => !entry.Name.EndsWith(".partial", StringComparison.Ordinal))
            .OrderByDescending(entry => entry.LastWriteTimeUtc)
            .ToList();
        return restoreKeys
            .Select(prefix => entries.FirstOrDefault(entry => entry.Name.StartsWith(prefix, StringComparison.Ordinal)))
            .FirstOrDefault(entry => entry is not null) is { } found
            ? AbsolutePath.Create(found.FullName)
            : null;
    }

    /// <summary>
    /// A key with the expressions the generated workflow puts in cache keys: <c>runner.os</c> and
    /// <c>hashFiles(...)</c> (of files in the workspace, <c>**/name</c> at any depth).
    /// </summary>
    internal static string Evaluate(string expression, AbsolutePath workspace)
        => ExpressionPattern().Replace(expression, m => m.Groups["body"].Value.Trim() switch
        {
            "runner.os" => "Linux",
            var body when HashFilesCall().Match(body) is { Success: true } call => HashFiles(workspace, call.Groups["pattern"].Captures.Select(c => c.Value)),
            var body => throw new NotSupportedException($"The proof does not evaluate the cache key expression {body}; teach ActionsCache.Evaluate."),
        });

    /// <summary>As GitHub's hashFiles: a SHA-256 over the SHA-256 of each matched file, in path order; empty when none match.</summary>
    private static string HashFiles(AbsolutePath workspace, IEnumerable<string> patterns)
    {
        var files = patterns
            .SelectMany(pattern => pattern.StartsWith("**/", StringComparison.Ordinal)
                ? Directory.EnumerateFiles(workspace, pattern[3..], SearchOption.AllDirectories)
                : pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('/', StringComparison.Ordinal)
                    ? throw new NotSupportedException($"The proof does not match the hashFiles pattern {pattern}; teach ActionsCache.HashFiles.")
                    : File.Exists(workspace / pattern) ? [workspace / pattern] : [])
            .Where(file => !file.Contains("/.git/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return string.Empty;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string ContainerPath(string path) => path.StartsWith("~/", StringComparison.Ordinal) ? RunnerHome + path[1..] : path;

    [GeneratedRegex(@"\$\{\{(?<body>.*?)\}\}")]
    private static partial Regex ExpressionPattern();

    [GeneratedRegex(@"^hashFiles\(\s*(?:'(?<pattern>[^']*)'\s*,?\s*)+\)$")]
    private static partial Regex HashFilesCall();
}
