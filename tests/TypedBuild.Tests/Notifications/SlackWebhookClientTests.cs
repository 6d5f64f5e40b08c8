using System.Text.Json;
using TypedBuild.Notifications.Slack;
using TypedBuild.Notifications.Slack.Blocks;
using TypedBuild.Tests.Processes;

namespace TypedBuild.Tests.Notifications;

/// <summary>Posting to a real HTTP receiver on loopback; waits are recorded instead of slept.</summary>
public sealed class SlackWebhookClientTests : IDisposable
{
    private static readonly SlackMessage Message = new("fallback", [new HeaderBlock("Deploy failed")]);
    private static readonly SlackNotifierOptions Options = new() { MaxAttempts = 4, RetryBudget = TimeSpan.FromSeconds(30) };

    private readonly HttpClient _http = new();
    private readonly RecordingLog _log = new();
    private readonly LoopbackReceiver _receiver = new();
    private readonly List<TimeSpan> _waits = [];
    private TimeSpan _clock = TimeSpan.Zero;

    private List<string> Warnings => _log.Lines.Where(l => l.StartsWith("WRN ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();

    private SlackWebhookClient Client() => new(_http, _log)
    {
        Delay = (wait, _) =>
        {
            _waits.Add(wait);
            _clock += wait;
            return Task.CompletedTask;
        },
        Elapsed = () => _clock,
    };

    [Fact]
    public async Task A_message_is_posted_once_as_block_kit_json()
    {
        var delivered = await Client().PostAsync(_receiver.Url, Message, Options, default);

        Assert.True(delivered);
        var body = Assert.Single(_receiver.Bodies);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Deploy failed", json.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task Rate_limits_are_retried_after_the_time_slack_asks_for()
    {
        _receiver.Then(429, "rate_limited", retryAfter: "7").Then(200, "ok");

        var delivered = await Client().PostAsync(_receiver.Url, Message, Options, default);

        Assert.True(delivered);
        Assert.Equal(2, _receiver.Bodies.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], _waits);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_growing_waits()
    {
        _receiver.Then(503).Then(500).Then(200);

        Assert.True(await Client().PostAsync(_receiver.Url, Message, Options, default));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _waits);
    }

    [Fact]
    public async Task Rejected_payloads_are_not_retried_and_only_warned_about()
    {
        _receiver.Then(400, "invalid_blocks");

        var delivered = await Client().PostAsync(_receiver.Url, Message, Options, default);

        Assert.False(delivered);
        Assert.Single(_receiver.Bodies);
        Assert.Contains("Slack refused the notification: 400 Bad Request invalid_blocks. The build result is unchanged.", Warnings);
    }

    [Fact]
    public async Task A_wait_beyond_the_time_budget_gives_up_at_once()
    {
        _receiver.Then(429, "rate_limited", retryAfter: "120");

        var delivered = await Client().PostAsync(_receiver.Url, Message, Options, default);

        Assert.False(delivered);
        Assert.Single(_receiver.Bodies);
        Assert.Empty(_waits);
        Assert.Contains(Warnings, w => w.StartsWith("Slack notification not delivered (429 Too Many Requests rate_limited); gave up within 30 s.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_webhook_is_tried_a_bounded_number_of_times_then_warned_about()
    {
        var delivered = await Client().PostAsync(LoopbackReceiver.DownUrl, Message, Options, default);

        Assert.False(delivered);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _waits);
        var warning = Assert.Single(Warnings);
        Assert.Contains("The build result is unchanged.", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/", warning, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _http.Dispose();
    }
}
