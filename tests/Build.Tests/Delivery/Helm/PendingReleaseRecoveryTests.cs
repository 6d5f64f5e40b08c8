using ExampleService.Build.Delivery.Helm;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>How HelmDeploy unsticks a release an interrupted operation left pending, from recorded <c>helm history -o json</c> output.</summary>
public sealed class PendingReleaseRecoveryTests
{
    [Fact]
    public void A_new_release_is_simply_installed()
    {
        var decision = PendingReleaseRecovery.Decide(ReleaseHistory.Empty);

        Assert.Equal(RecoveryKind.None, decision.Kind);
        Assert.Null(decision.Revision);
    }

    [Fact]
    public void A_deployed_release_is_upgraded_as_is()
    {
        var decision = PendingReleaseRecovery.Decide(HistoryFixtures.Load("history-deployed.json"));

        Assert.Equal(RecoveryKind.None, decision.Kind);
        Assert.Contains("revision 3 (deployed", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history-pending-upgrade.json", 3)]
    [InlineData("history-pending-rollback.json", 2)]
    public void A_stuck_upgrade_or_rollback_rolls_back_to_the_last_deployed_revision(string fixture, int expectedRevision)
    {
        var decision = PendingReleaseRecovery.Decide(HistoryFixtures.Load(fixture));

        Assert.Equal(RecoveryKind.Rollback, decision.Kind);
        Assert.Equal(expectedRevision, decision.Revision);
        Assert.Contains("stuck", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stuck_upgrade_after_failures_goes_back_to_the_newest_superseded_revision_when_none_is_deployed()
    {
        var history = ReleaseHistory.FromRevisions([new(1, "superseded"), new(2, "failed"), new(3, "pending-upgrade")]);

        var decision = PendingReleaseRecovery.Decide(history);

        Assert.Equal((RecoveryKind.Rollback, 1), (decision.Kind, decision.Revision));
    }

    [Fact]
    public void A_first_install_that_never_finished_is_uninstalled()
    {
        var decision = PendingReleaseRecovery.Decide(HistoryFixtures.Load("history-pending-install.json"));

        Assert.Equal(RecoveryKind.Uninstall, decision.Kind);
        Assert.Contains("never deployed", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void History_is_ordered_by_revision_and_knows_the_previous_deployed_one()
    {
        var history = ReleaseHistory.Parse("""[{"revision":2,"status":"deployed"},{"revision":1,"status":"superseded"}]""");

        Assert.Equal([1, 2], history.Revisions.Select(r => r.Revision));
        Assert.Equal(2, history.LastDeployed?.Revision);
        Assert.Equal(1, history.PreviousDeployed()?.Revision);
        Assert.Null(ReleaseHistory.Parse("[]").PreviousDeployed());
    }

    [Fact]
    public void Output_that_is_not_a_history_fails_clearly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReleaseHistory.Parse("Error: something"));
        Assert.Contains("not a release history", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Recorded <c>helm history -o json</c> outputs under Fixtures/.</summary>
internal static class HistoryFixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Delivery", "Helm", "Fixtures", name));

    public static ReleaseHistory Load(string name) => ReleaseHistory.Parse(Text(name));
}
