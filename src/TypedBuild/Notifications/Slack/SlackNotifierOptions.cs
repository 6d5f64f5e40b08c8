namespace TypedBuild.Notifications.Slack;

/// <summary>What <see cref="SlackNotifier"/> posts, where, and how hard it tries.</summary>
public sealed record SlackNotifierOptions
{
    /// <summary>Incoming webhook URL (a secret parameter). Nothing is posted while it is empty.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Targets that deploy: their success is announced when <see cref="AnnounceDeploys"/> is on.</summary>
    public IReadOnlyList<string> DeployTargets { get; init; } = [];

    /// <summary>Also post when a deploy target succeeds (environment, version, digest and the deploy's summary notes).</summary>
    public bool AnnounceDeploys { get; init; }

    /// <summary>The version the build produced, asked for only when a message is built; null or a failure leaves it out.</summary>
    public Func<string?>? Version { get; init; }

    /// <summary>How many trailing lines of the failed target's error the message quotes.</summary>
    public int ErrorLines { get; init; } = 20;

    /// <summary>Attempts at most, for 429 and 5xx answers and connection failures.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Total time the posting may take, waits included; past it the notification is given up with a warning.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
