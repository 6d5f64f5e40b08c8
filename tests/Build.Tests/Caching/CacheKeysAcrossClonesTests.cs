using System.Text.Json;
using ExampleService.Build.Tests.Delivery.Helm;
using TypedBuild.Processes;

namespace Build.Tests.Caching;

/// <summary>
/// The real build's cache keys do not depend on the folder a clone is in, so a second clone hits the entries the
/// first pushed to the remote store: the tracked files copied into two folders of different depth plan the same key
/// for every cacheable target. (That the build definition and engine compile to the same module version id in any
/// folder is their DeterministicSourcePaths setting.)
/// </summary>
public sealed class CacheKeysAcrossClonesTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("cache-keys-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task Two_clones_in_different_folders_plan_the_same_key_for_every_cacheable_target()
    {
        var first = await CloneAsync(Path.Combine(_scratch.FullName, "a"));
        var second = await CloneAsync(Path.Combine(_scratch.FullName, "elsewhere", "deeper", "b"));

        var keys = await PlannedKeysAsync(first);
        var keysElsewhere = await PlannedKeysAsync(second);

        Assert.Contains("Test", keys.Keys);
        Assert.Contains("LintFormat", keys.Keys);
        // The image's start-up profile too: a rebuild of the commit in another clone ships the profile recorded first.
        Assert.Contains("StartupProfile", keys.Keys);
        Assert.Contains("DockerBuild", keys.Keys);
        Assert.Equal(keys, keysElsewhere);
    }

    [Fact]
    public async Task Two_pipelines_of_one_commit_share_the_test_results_but_not_the_version_stamped_compile_and_image()
    {
        var clone = await CloneAsync(Path.Combine(_scratch.FullName, "c"));

        var first = await PlannedKeysAsync(clone, GitHubPush(runNumber: "41"));
        var rerun = await PlannedKeysAsync(clone, GitHubPush(runNumber: "42"));

        Assert.NotEqual(first["Compile"], rerun["Compile"]);
        Assert.Equal(first["Test"], rerun["Test"]);
        Assert.Equal(first["TestImage"], rerun["TestImage"]);
        // The image carries the version, so each pipeline builds its own; a rerun of a job in the same pipeline hits.
        Assert.NotEqual(first["DockerBuild"], rerun["DockerBuild"]);
        Assert.Equal(rerun["DockerBuild"], (await PlannedKeysAsync(clone, GitHubPush(runNumber: "42")))["DockerBuild"]);
    }

    /// <summary>What GitHub sets for a push to develop in run <paramref name="runNumber"/>; the version's pre-release label ends with it.</summary>
    private static Dictionary<string, string?> GitHubPush(string runNumber) => new(StringComparer.Ordinal)
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_EVENT_NAME"] = "push",
        ["GITHUB_REF"] = "refs/heads/develop",
        ["GITHUB_REF_NAME"] = "develop",
        ["GITHUB_REF_TYPE"] = "branch",
        ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
        ["GITHUB_RUN_NUMBER"] = runNumber,
    };

    private static async Task<string> CloneAsync(string folder)
    {
        var files = await new TestProcessRunner().RunAsync("git", ["ls-files", "-z"], new ProcessOptions { WorkingDirectory = HelmToolchain.RepositoryRoot, LogOutput = false });
        foreach (var file in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(HelmToolchain.RepositoryRoot, file);
            if (File.Exists(source))
            {
                var target = Path.Combine(folder, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
        }

        return folder;
    }

    private static async Task<Dictionary<string, string>> PlannedKeysAsync(string root, Dictionary<string, string?>? environment = null)
    {
        var plan = await new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), "Test", "TestImage", "Coverage", "Lint", "DockerBuild", "--plan", "--json", "--root", root],
            new ProcessOptions { WorkingDirectory = root, LogOutput = false, Environment = LocalBuildEnvironment.With(environment ?? []) });
        using var json = JsonDocument.Parse(plan.StandardOutput);
        return json.RootElement.GetProperty("targets").EnumerateArray()
            .Where(t => t.GetProperty("cache").ValueKind == JsonValueKind.Object)
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("cache").GetProperty("key").GetString()!);
    }
}
