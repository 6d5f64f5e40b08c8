using System.Text.Json;
using TypedBuild.Hosts;
using TypedBuild.Notifications.Slack;
using TypedBuild.Provisioning;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Notifications;

/// <summary>
/// Failures before any target ran (bad input, missing tools) are posted on a CI server like a failed target, and the
/// CI failure hook (<c>--announce-failure</c>) posts what the build could not, without repeating what it did.
/// </summary>
public sealed class FailureAnnouncementTests : IDisposable
{
    private const string Secret = "s3cr3t-value-991";
    private readonly BuildHarness _harness = new() { HostKind = CiHostKind.GitLab };
    private readonly LoopbackReceiver _receiver = new();

    public FailureAnnouncementTests()
    {
        _harness.Environment["SLACK_WEBHOOK_URL"] = _receiver.Url.AbsoluteUri;
        _harness.Environment["DB_PASSWORD"] = Secret;
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _harness.Dispose();
    }

    private string MarkerFile => _harness.Root / "artifacts" / "build-failure-announced.json";

    [Fact]
    public void Missing_tools_on_ci_post_one_message_naming_the_tool_and_exit_with_1()
    {
        var outcome = _harness.Run<AnnouncingBuild>("Deploy");

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        var body = Assert.Single(_receiver.Bodies);
        Assert.Contains("tools are missing", Header(body), StringComparison.Ordinal);
        Assert.Contains("frobnicate: frobnicate is not on PATH. Install: apt-get install frobnicate", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH..", outcome.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(MarkerFile));
    }

    [Fact]
    public void A_bad_parameter_on_ci_posts_one_masked_message_and_exits_with_2()
    {
        var outcome = _harness.Run<AnnouncingBuild>("Compile", "--replicas", Secret);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        var body = Assert.Single(_receiver.Bodies);
        Assert.Contains("the build's input is invalid", Header(body), StringComparison.Ordinal);
        Assert.Contains("for parameter Replicas (--replicas)", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_target_and_a_missing_required_parameter_on_ci_are_posted_too()
    {
        var unknown = _harness.Run<AnnouncingBuild>("Deplyo");
        var missing = _harness.Run<AnnouncingBuild>("Release");

        Assert.Equal(ExitCodes.UsageError, unknown.ExitCode);
        Assert.Equal(ExitCodes.UsageError, missing.ExitCode);
        Assert.Equal(2, _receiver.Bodies.Count);
        Assert.Contains("Unknown target 'Deplyo'", Text(_receiver.Bodies.First()), StringComparison.Ordinal);
        Assert.Contains("Missing required parameters", Text(_receiver.Bodies.Last()), StringComparison.Ordinal);
    }

    [Fact]
    public void With_slack_down_every_failure_keeps_its_exit_code()
    {
        _harness.Environment["SLACK_WEBHOOK_URL"] = LoopbackReceiver.DownUrl.AbsoluteUri;

        var hook = _harness.Run<AnnouncingBuild>("--announce-failure", "errored");
        Assert.Equal(ExitCodes.TargetFailed, _harness.Run<AnnouncingBuild>("Deploy").ExitCode);
        Assert.Equal(ExitCodes.UsageError, _harness.Run<AnnouncingBuild>("Compile", "--replicas", "many").ExitCode);
        Assert.Equal(ExitCodes.Success, hook.ExitCode);
        Assert.Contains("Slack notification not delivered", hook.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Locally_a_usage_error_is_only_reported()
    {
        _harness.HostKind = CiHostKind.Local;

        var outcome = _harness.Run<AnnouncingBuild>("Deplyo");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Empty(_receiver.Bodies);
    }

    [Fact]
    public void The_failure_hook_posts_a_job_failure_the_build_did_not_announce()
    {
        var green = _harness.Run<AnnouncingBuild>("Compile");
        var hook = _harness.Run<AnnouncingBuild>("--announce-failure", "aborted");

        Assert.Equal(ExitCodes.Success, green.ExitCode);
        Assert.Equal(ExitCodes.Success, hook.ExitCode);
        var body = Assert.Single(_receiver.Bodies);
        Assert.Contains("the GitLab job was aborted", Header(body), StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_hook_does_not_repeat_a_failure_the_build_announced()
    {
        var failed = _harness.Run<AnnouncingBuild>("Migrate");
        var hook = _harness.Run<AnnouncingBuild>("--announce-failure", "failed");

        Assert.Equal(ExitCodes.TargetFailed, failed.ExitCode);
        Assert.Equal(ExitCodes.Success, hook.ExitCode);
        var body = Assert.Single(_receiver.Bodies);
        Assert.Contains("Migrate failed", Header(body), StringComparison.Ordinal);
        Assert.Contains("The build already announced this failure", hook.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marker_from_another_run_or_a_green_rerun_does_not_silence_the_hook()
    {
        _harness.Run<AnnouncingBuild>("Migrate");
        _harness.Run<AnnouncingBuild>("Compile");
        _harness.Run<AnnouncingBuild>("--announce-failure", "failed");

        Assert.False(File.Exists(MarkerFile));
        Assert.Equal(2, _receiver.Bodies.Count);
        Assert.Contains("the GitLab job failed", Header(_receiver.Bodies.Last()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_marker_the_build_cannot_write_is_a_warning_and_the_failure_keeps_its_exit_code()
    {
        // A folder where the file should be: unwritable even for root (a job whose artifacts another user owns).
        Directory.CreateDirectory(MarkerFile);

        var outcome = _harness.Run<AnnouncingBuild>("Migrate");

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Single(_receiver.Bodies);
        Assert.Contains("Could not leave the failure marker artifacts/build-failure-announced.json", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unexpected error", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_hook_rejects_an_unknown_kind_with_2()
    {
        var outcome = _harness.Run<AnnouncingBuild>("--announce-failure", "exploded");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("--announce-failure takes one of failed, errored, aborted, got 'exploded'", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(_receiver.Bodies);
    }

    /// <summary>Every string of the message, unescaped.</summary>
    private static string Text(string body)
    {
        using var json = JsonDocument.Parse(body);
        return string.Join('\n', Strings(json.RootElement));

        static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => [element.GetString()!],
            JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
            JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
            _ => [],
        };
    }

    private static string Header(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!;
    }

    /// <summary>A build with a missing tool, a required parameter, a failing target and Slack (no retry waits).</summary>
    internal sealed class AnnouncingBuild : BuildBase
    {
        [Parameter("Webhook")]
        [Secret]
        internal readonly string? SlackWebhookUrl;

        [Parameter("Database password")]
        [Secret]
        internal readonly string? DbPassword;

        [Parameter("Replicas")]
        internal readonly int Replicas = 1;

        [Parameter("Release notes")]
        internal readonly string? ReleaseNotes;

        public Target Compile => _ => _.Executes(() => Log.Information("compiled"));

        public Target Migrate => _ => _.Executes(() => throw new InvalidOperationException($"connection refused for {DbPassword}"));

        public Target Deploy => _ => _.Requires(new MissingTool()).Executes(() => Log.Information("deployed"));

        public Target Release => _ => _.Requires(() => ReleaseNotes).Executes(() => Log.Information("released"));

        protected override IEnumerable<IBuildObserver> Observers =>
        [
            new SlackNotifier(new SlackNotifierOptions { WebhookUrl = SlackWebhookUrl }, Log)
            {
                ConfigureClient = client => new SlackWebhookClient(new HttpClient(), Log) { Delay = (_, _) => Task.CompletedTask },
            },
        ];
    }

    private sealed class MissingTool : IToolRequirement
    {
        public string Name => "frobnicate";

        public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
            => Task.FromResult(RequirementCheck.Missing("frobnicate is not on PATH.", "apt-get install frobnicate"));

        public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
            => Task.FromResult<IAsyncDisposable?>(null);

        public string? UnmetOn(DeclaredMachine machine) => "frobnicate is not on it";
    }
}
