using System.Text.Json;
using TypedBuild.Notifications.Slack;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Notifications;

/// <summary>A build with a failing target and the webhook set, run by the engine as <c>./build.sh</c> would.</summary>
public sealed class SlackNotifierEndToEndTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    [Fact]
    public async Task A_failing_target_posts_exactly_one_well_formed_message()
    {
        using var receiver = new LoopbackReceiver();
        _harness.Environment["SLACK_WEBHOOK_URL"] = receiver.Url.AbsoluteUri;
        _harness.Environment["DB_PASSWORD"] = "pa55word-xyz";
        _harness.WriteParameters("parameters.staging.json", "{}");

        var outcome = await _harness.RunAsync<SlackBuild>(["Deploy", "--env", "staging"], default);

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        var body = Assert.Single(receiver.Bodies);
        using var json = JsonDocument.Parse(body);
        var blocks = json.RootElement.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.EndsWith("Migrate failed", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("*Environment*\\nstaging", body, StringComparison.Ordinal);
        Assert.Contains("connection refused for ***", body, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word-xyz", body, StringComparison.Ordinal);
        Assert.Contains("Slack notification posted", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_receiver_down_the_exit_code_is_unchanged_and_a_warning_says_why()
    {
        _harness.Environment["SLACK_WEBHOOK_URL"] = LoopbackReceiver.DownUrl.AbsoluteUri;

        var outcome = await _harness.RunAsync<SlackBuild>(["Deploy"], default);

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Contains("Slack notification not delivered", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/T000", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_green_build_or_a_missing_webhook_posts_nothing_and_a_bad_url_is_a_warning()
    {
        using var receiver = new LoopbackReceiver();
        _harness.Environment["SLACK_WEBHOOK_URL"] = receiver.Url.AbsoluteUri;
        var green = await _harness.RunAsync<SlackBuild>(["Compile"], default);
        _harness.Environment.Remove("SLACK_WEBHOOK_URL");
        var unset = await _harness.RunAsync<SlackBuild>(["Deploy"], default);
        _harness.Environment["SLACK_WEBHOOK_URL"] = "hooks.slack.com/services/x";
        var malformed = await _harness.RunAsync<SlackBuild>(["Deploy"], default);

        Assert.Equal(ExitCodes.Success, green.ExitCode);
        Assert.Equal(ExitCodes.TargetFailed, unset.ExitCode);
        Assert.Equal(ExitCodes.TargetFailed, malformed.ExitCode);
        Assert.Empty(receiver.Bodies);
        Assert.Contains("The Slack webhook URL is not an absolute https URL", malformed.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>A build whose Migrate step fails with a secret in its error; Slack waits are skipped.</summary>
    internal sealed class SlackBuild : BuildBase
    {
        [Parameter("Webhook")]
        [Secret]
        internal readonly string? SlackWebhookUrl;

        [Parameter("Database password")]
        [Secret]
        internal readonly string? DbPassword;

        public Target Compile => _ => _.Executes(() => Log.Information("compiled"));

        public Target Migrate => _ => _
            .DependsOn(Compile)
            .Executes(() => throw new InvalidOperationException($"step 1 ok\nconnection refused for {DbPassword}"));

        public Target Deploy => _ => _.DependsOn(Migrate).Executes(() => Log.Information("deployed"));

        protected override IEnumerable<IBuildObserver> Observers =>
        [
            new SlackNotifier(new SlackNotifierOptions { WebhookUrl = SlackWebhookUrl, DeployTargets = [nameof(Deploy)], AnnounceDeploys = true }, Log)
            {
                ConfigureClient = client => new SlackWebhookClient(new HttpClient(), Log) { Delay = (_, _) => Task.CompletedTask },
            },
        ];
    }
}
