using ExampleService.Build.Tests.Delivery.Helm;
using TypedBuild;
using TypedBuild.Processes;
using ServiceBuild = ExampleService.Build.Build;

namespace Build.Tests.Ci;

/// <summary>
/// GenerateCi, run as <c>./build.sh</c> runs it on a copy of the toolchain image's folder, checks every job's planned
/// targets against the machine the job runs on: a toolchain image that lost a tool fails generation, not a job.
/// </summary>
public sealed class CiMachineTests : IDisposable
{
    private static readonly AbsolutePath Root = CiValidatorsFixture.Root;
    private readonly AbsolutePath _copy = AbsolutePath.Create(Directory.CreateTempSubdirectory("ci-machines-").FullName);

    [Fact]
    public async Task A_toolchain_image_without_helm_fails_generation_naming_the_host_the_job_the_target_and_the_tool()
    {
        CopyToolchainFolder(executables => executables.Where(e => e != "helm"));

        var result = await GenerateCiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            "GitLab CI job 'quality': target 'LintChart' requires helm, but on the CI toolchain image (ci/toolchain/executables.txt) 'helm' is not on it",
            Output(result),
            StringComparison.Ordinal);
        Assert.Contains("Concourse job 'deploy-dev': target 'Promote' requires helm", Output(result), StringComparison.Ordinal);
        Assert.DoesNotContain("GitHub Actions job", Output(result), StringComparison.Ordinal);
        Assert.False(File.Exists(_copy / ".gitlab-ci.yml"), "nothing is written when the check fails");
    }

    [Fact]
    public async Task Without_shellcheck_only_the_jobs_that_lint_are_refused()
    {
        CopyToolchainFolder(executables => executables.Where(e => e != "shellcheck"));

        var output = Output(await GenerateCiAsync());

        Assert.Contains("GitLab CI job 'quality': target 'LintShell' requires shellcheck (Debian package shellcheck)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("job 'image-tests'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("job 'package'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repository_s_toolchain_image_serves_every_job_and_generation_writes_the_committed_files()
    {
        CopyToolchainFolder(executables => executables);

        var result = await GenerateCiAsync();

        Assert.True(result.ExitCode == 0, Output(result));
        Assert.Equal(await File.ReadAllTextAsync(Root / ".gitlab-ci.yml"), await File.ReadAllTextAsync(_copy / ".gitlab-ci.yml"));
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    private void CopyToolchainFolder(Func<IEnumerable<string>, IEnumerable<string>> executables)
    {
        global::Build.Tests.Delivery.Environments.EnvironmentFiles.CopyTo(_copy);
        var folder = Directory.CreateDirectory(_copy / ServiceBuild.CiImageFolder).FullName;
        File.Copy(Root / ServiceBuild.CiImageFolder / "Dockerfile", Path.Combine(folder, "Dockerfile"));
        var lines = File.ReadAllLines(Root / ServiceBuild.CiImageFolder / "executables.txt");
        File.WriteAllLines(Path.Combine(folder, "executables.txt"), executables(lines));
    }

    /// <summary>Results on stdout, the log and errors on stderr: both, one line.</summary>
    private static string Output(ProcessResult result) => (result.StandardOutput + "\n" + result.StandardError).ReplaceLineEndings(" ");

    private Task<ProcessResult> GenerateCiAsync()
        => new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), "GenerateCi", "--root", _copy],
            new ProcessOptions
            {
                AllowNonZeroExitCode = true,
                WorkingDirectory = _copy,
                Environment = LocalBuildEnvironment.With(new Dictionary<string, string?>()),
            });
}
