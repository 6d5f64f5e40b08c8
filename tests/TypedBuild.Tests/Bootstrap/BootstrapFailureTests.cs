using System.Text.Json;
using TypedBuild.Tests.Notifications;

namespace TypedBuild.Tests.Bootstrap;

/// <summary>A sample repository whose build definition does not compile.</summary>
public sealed class BrokenSampleRepository() : SampleRepository(BuildSource.Replace("Log.Information($\"hello {Name}\")", "Log.Information(hello)", StringComparison.Ordinal));

/// <summary>
/// End to end through <c>build.sh</c>: when the build definition does not compile, the engine alone still announces it
/// on a CI host, and the CI failure hook does not post it a second time.
/// </summary>
[Collection(SampleRepository.Collection)]
public sealed class BootstrapFailureTests(BrokenSampleRepository sample) : IClassFixture<BrokenSampleRepository>
{
    [Fact]
    public void Locally_a_compile_failure_exits_with_2_and_announces_nothing()
    {
        Assert.Equal(2, sample.FirstRun.ExitCode);
        Assert.True(sample.FirstRun.StandardError.Contains("error CS0103", StringComparison.Ordinal), sample.FirstRun.Output);
        Assert.Contains("the build definition does not compile", sample.FirstRun.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Compiling the engine alone", sample.FirstRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void On_ci_a_compile_failure_is_posted_once_even_when_the_failure_hook_runs_after_it()
    {
        using var receiver = new LoopbackReceiver();
        var environment = new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true",
            ["CI_PIPELINE_IID"] = "41",
            ["SLACK_WEBHOOK_URL"] = receiver.Url.AbsoluteUri,
        };

        var build = sample.RunWith(environment, "Hello");
        var hook = sample.RunWith(environment, "--announce-failure", "failed");

        Assert.Equal(2, build.ExitCode);
        Assert.Equal(0, hook.ExitCode);
        var body = Assert.Single(receiver.Bodies);
        using var json = JsonDocument.Parse(body);
        Assert.Contains("the build definition does not compile", json.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("error CS0103", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-123", body, StringComparison.Ordinal);
        Assert.Contains("The build already announced this failure", hook.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void On_ci_with_slack_unreachable_a_compile_failure_still_exits_with_2()
    {
        var environment = new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true",
            ["SLACK_WEBHOOK_URL"] = LoopbackReceiver.DownUrl.AbsoluteUri,
        };

        var build = sample.RunWith(environment, "Hello");

        Assert.Equal(2, build.ExitCode);
        Assert.Contains("Slack notification not delivered", build.Output, StringComparison.Ordinal);
    }
}
