using Build.Tests.Quality.Fixtures;
using TypedBuild;

namespace Build.Tests.Quality;

/// <summary>The Sonar target run by the real build definition, without a SonarQube server (none is reachable here).</summary>
public sealed class SonarTargetTests : IDisposable
{
    private readonly FixtureRepository _repository = new();

    public SonarTargetTests() => _repository.CopyFromRepository("dotnet-tools.json");

    public void Dispose() => _repository.Dispose();

    [Fact]
    public async Task Without_host_and_token_Sonar_is_skipped_with_the_reason()
    {
        var run = await _repository.RunAsync("Sonar", "--skip", "Test");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Lines, line => line.Contains("Sonar ", StringComparison.Ordinal) && line.Contains("Skipped", StringComparison.Ordinal)
            && line.Contains("no SonarQube server configured (set --sonar-host-url and --sonar-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_host_fails_before_the_scanner_runs_with_a_clear_message_and_no_token()
    {
        var host = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        var run = await _repository.RunAsync("Sonar", "--skip", "Test", "--sonar-host-url", host, "--sonar-token", "squ_secret_token_value");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"SonarQube server at {host} is unreachable", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("squ_secret_token_value", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repository.PathOf(".sonarqube")), "the scanner must not have started");
    }

    [Fact]
    public async Task Skipping_the_begin_step_fails_with_what_to_run_instead_of_the_scanners_exit_code()
    {
        var run = await _repository.RunAsync("Sonar", "--skip", "--sonar-host-url", "http://127.0.0.1:9000", "--sonar-token", "squ_secret_token_value");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SonarQube analysis did not begin in this build (SonarBegin was skipped)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("squ_secret_token_value", run.Output, StringComparison.Ordinal);
    }
}
