namespace TypedBuild.Notifications.Slack;

/// <summary>
/// Posts one Slack message when a build fails (a target, or before any target ran on a CI server; and, optionally, when a deploy succeeded). Add it
/// to <c>BuildBase.Observers</c>; without a webhook URL it does nothing. Delivery problems are warnings only.
/// </summary>
public sealed class SlackNotifier(SlackNotifierOptions options, IBuildLog log, HttpMessageHandler? handler = null) : IBuildObserver
{
    public SlackNotifierOptions Options { get; } = options;

    /// <summary>Adjusts the client (tests replace its clock).</summary>
    internal Func<SlackWebhookClient, SlackWebhookClient> ConfigureClient { get; init; } = client => client;

    public async Task OnBuildFinishedAsync(BuildResult result, ISecretMasker masker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Options.WebhookUrl))
        {
            return;
        }

        if (!Uri.TryCreate(Options.WebhookUrl.Trim(), UriKind.Absolute, out var webhook) || webhook.Scheme is not ("https" or "http"))
        {
            log.Warning("The Slack webhook URL is not an absolute https URL (copy it from the Slack app's Incoming Webhooks page); no message was sent.");
            return;
        }

        if (SlackBuildMessages.For(result, Options, masker) is not { } message)
        {
            return;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        await ConfigureClient(new SlackWebhookClient(http, log)).PostAsync(webhook, message, Options, cancellationToken).ConfigureAwait(false);
    }
}
