namespace ExampleService.Build.Delivery.Helm;

public enum RecoveryKind
{
    /// <summary>Nothing is stuck: go ahead with the upgrade.</summary>
    None,

    /// <summary>Roll back to <see cref="RecoveryDecision.Revision"/>, the last deployed revision.</summary>
    Rollback,

    /// <summary>The release never deployed (stuck first install): uninstall it so the next install starts clean.</summary>
    Uninstall,
}

public sealed record RecoveryDecision(RecoveryKind Kind, int? Revision, string Reason);

/// <summary>
/// Decides how to unstick a release whose last operation was interrupted (a killed CI job, a lost connection):
/// Helm leaves it in <c>pending-install/pending-upgrade/pending-rollback</c> and refuses every later operation with
/// "another operation (install/upgrade/rollback) is in progress" (helm/helm#5513 and many duplicates).
/// </summary>
public static class PendingReleaseRecovery
{
    public static RecoveryDecision Decide(ReleaseHistory history)
    {
        if (history.Latest is not { } latest)
        {
            return new(RecoveryKind.None, null, "no release yet: it will be installed");
        }

        if (!latest.IsPending)
        {
            return new(RecoveryKind.None, null, $"latest is {latest}: nothing to recover");
        }

        // The previously deployed revision keeps the status "deployed" while an upgrade or rollback is pending.
        var target = history.LastDeployed
            ?? history.Revisions.LastOrDefault(r => r.Revision < latest.Revision && r.Status == ReleaseHistory.Superseded);
        if (target is not null)
        {
            return new(RecoveryKind.Rollback, target.Revision, $"{latest} is stuck; rolling back to the last deployed revision {target.Revision}");
        }

        return new(RecoveryKind.Uninstall, null, $"{latest} is stuck and the release was never deployed; uninstalling it so it can be installed afresh");
    }
}
