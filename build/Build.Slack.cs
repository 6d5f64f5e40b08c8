using TypedBuild;
using TypedBuild.Notifications.Slack;

namespace ExampleService.Build;

/// <summary>
/// Failures are announced on Slack, locally and on every CI host, whenever a webhook is configured; successful deploys
/// too when asked. Posting problems are warnings: the build's result never depends on Slack.
/// </summary>
partial class Build
{
    [Parameter("Slack incoming webhook URL; when set, a failed build posts one message there")]
    [Secret]
    readonly string? SlackWebhookUrl;

    [Parameter("Also announce successful deploys (environment, version, digest) on Slack")]
    readonly bool SlackAnnounceDeploys = true;

    /// <summary>Targets whose success is a deploy worth announcing.</summary>
    internal static IReadOnlyList<string> SlackDeployTargets { get; } = [nameof(HelmDeploy), nameof(Rollback), nameof(RunLocal)];

    protected override IEnumerable<IBuildObserver> Observers =>
    [
        new SlackNotifier(
            new SlackNotifierOptions
            {
                WebhookUrl = SlackWebhookUrl,
                AnnounceDeploys = SlackAnnounceDeploys,
                DeployTargets = SlackDeployTargets,
                Version = () => Version.SemVer,
            },
            Log),
    ];
}
