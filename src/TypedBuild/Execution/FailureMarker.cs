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

    public static void Clear(AbsolutePath root)
    {
        if (File.Exists(PathFor(root)))
        {
            File.Delete(PathFor(root));
        }
    }

    public static void Write(AbsolutePath root, ICiHost host, string title, int exitCode)
    {
        var path = PathFor(root);
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, JsonSerializer.Serialize(new Marker(RunOf(host), title, exitCode)) + "\n");
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
