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

    [Parameter("Also announce successful deploys to the environments of the promotion chain (environment, version, digest, commit, approver) on Slack")]
    readonly bool SlackAnnounceDeploys = true;

    /// <summary>Targets whose success is a deploy worth announcing (sandboxes never are: see <see cref="AnnouncesDeploys"/>).</summary>
    internal static IReadOnlyList<string> SlackDeployTargets { get; } = [nameof(Promote), nameof(Rollback)];

    /// <summary>Only a deploy to a real environment is news, and only once its record exists (the rollout was verified).</summary>
    bool AnnouncesDeploys => SlackAnnounceDeploys && lastDeployRecord is not null;

    protected override IEnumerable<IBuildObserver> Observers =>
    [
        new SlackNotifier(
            new SlackNotifierOptions
            {
                WebhookUrl = SlackWebhookUrl,
                AnnounceDeploys = AnnouncesDeploys,
                DeployTargets = SlackDeployTargets,
                Version = () => lastDeployRecord?.Version ?? Version.SemVer,
            },
            Log),
    ];
}
