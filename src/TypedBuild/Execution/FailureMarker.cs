using System.Text.Json;
using TypedBuild.Hosts;

namespace TypedBuild.Execution;

/// <summary>
/// <c>artifacts/build-failure-announced.json</c>: written when the build has handed a failure to its observers
/// (Slack), so that the CI system's failure hook (<c>--announce-failure</c>) does not post the same failure twice.
/// It names the CI run (host and build number), so a marker left by an earlier run is not taken for this one's.
/// </summary>
internal static class FailureMarker
{
    /// <summary>Relative to the repository root, as the CI files carry it from a failed job to the failure hook.</summary>
    public const string RelativePath = "artifacts/build-failure-announced.json";

    public static AbsolutePath PathFor(AbsolutePath root) => root / RelativePath;

    /// <summary>
    /// Removes an earlier run's marker. Best effort, as is <see cref="Write"/>: a folder the build may not write (a job
    /// that received its artifacts as another user) must not turn the build's own result into a crash.
    /// </summary>
    public static void Clear(AbsolutePath root, IBuildLog log)
        => Attempt(log, "remove the earlier failure marker", "a failure hook of this run could take it for this build's announcement", () =>
        {
            if (File.Exists(PathFor(root)))
            {
                File.Delete(PathFor(root));
            }
        });

    public static void Write(AbsolutePath root, ICiHost host, string title, int exitCode, IBuildLog log)
        => Attempt(log, "leave the failure marker", "the CI failure hook may announce this failure a second time", () =>
        {
            var path = PathFor(root);
            Directory.CreateDirectory(path.Parent);
            File.WriteAllText(path, JsonSerializer.Serialize(new Marker(RunOf(host), title, exitCode)) + "\n");
        });

    private static void Attempt(IBuildLog log, string what, string consequence, Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Could not {what} {RelativePath} ({exception.Message}); {consequence}.");
        }
    }

    /// <summary>True when the build of this CI run already announced its failure.</summary>
    public static bool ExistsFor(AbsolutePath root, ICiHost host)
    {
        try
        {
            return File.Exists(PathFor(root)) && JsonSerializer.Deserialize<Marker>(File.ReadAllText(PathFor(root)))?.Run == RunOf(host);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The run, not the job: GitLab's on_failure job is another job of the same pipeline.</summary>
    private static string RunOf(ICiHost host) => $"{host.Kind} {host.BuildNumber}".TrimEnd();

    private sealed record Marker(string Run, string Title, int ExitCode);
}
