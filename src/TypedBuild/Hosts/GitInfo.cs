using System.Diagnostics;

namespace TypedBuild.Hosts;

/// <summary>
/// What git knows about the checked-out commit. Read lazily with a single <c>git log -1</c> (a few milliseconds)
/// the first time a property is asked for, so a build that never looks at it never starts git. Outside a git
/// repository, or without git, every value is null.
/// </summary>
public sealed class GitInfo(AbsolutePath root)
{
    private const char Separator = '\u001f';
    private readonly Lazy<string[]?> _head = new(() => Git(root, "log", "-1", $"--format=%H{Separator}%an{Separator}%D{Separator}%s{Separator}%ct")?.Split(Separator));
    private readonly Lazy<string?> _origin = new(() => Git(root, "config", "--get", "remote.origin.url"));

    public string? Commit => Field(0);

    public string? Author => Field(1);

    /// <summary>The checked-out branch; null on a detached HEAD.</summary>
    public string? Branch => RefNames().Where(r => r.StartsWith("HEAD -> ", StringComparison.Ordinal)).Select(r => r[8..]).FirstOrDefault();

    /// <summary>A tag pointing at HEAD, if any.</summary>
    public string? Tag => RefNames().Where(r => r.StartsWith("tag: ", StringComparison.Ordinal)).Select(r => r[5..]).FirstOrDefault();

    public string? Subject => Field(3);

    /// <summary>When the commit was made (committer time): a build's timestamps come from it, so the same commit gives the same labels.</summary>
    public DateTimeOffset? CommitTime
        => long.TryParse(Field(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>"owner/name" from the <c>origin</c> remote (https or ssh form), if there is one.</summary>
    public string? Repository => _origin.Value is { } url ? RepositoryFromRemote(url) : null;

    internal static string? RepositoryFromRemote(string url)
    {
        var path = url.Trim().TrimEnd('/');
        path = path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
        var parts = path.Replace(':', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : null;
    }

    private string? Field(int index) => _head.Value is { } fields && fields.Length > index && fields[index].Length > 0 ? fields[index] : null;

    private string[] RefNames() => (Field(2) ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries);

    private static string? Git(AbsolutePath root, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Trim() is { Length: > 0 } text ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
