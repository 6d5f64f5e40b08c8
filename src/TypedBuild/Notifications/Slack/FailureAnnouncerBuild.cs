namespace TypedBuild.Notifications.Slack;

/// <summary>
/// What <c>build.sh</c> compiles and runs when the build definition itself does not compile: a build that knows only
/// the engine, so all it can do is <c>--announce-failure</c> on Slack (<c>SLACK_WEBHOOK_URL</c>) with the CI host's
/// job facts. Keys of the real build's parameter files mean nothing to it and are ignored.
/// </summary>
public sealed class FailureAnnouncerBuild : BuildBase
{
    [Parameter("Slack incoming webhook URL")]
    [Secret]
    internal readonly string? SlackWebhookUrl;

    /// <summary>The stand-in's entry point: <c>return FailureAnnouncerBuild.Run(args);</c>.</summary>
    public static int Run(string[] args) => Execute<FailureAnnouncerBuild>(args);

    protected override IEnumerable<IBuildObserver> Observers => [new SlackNotifier(new SlackNotifierOptions { WebhookUrl = SlackWebhookUrl }, Log)];
}
