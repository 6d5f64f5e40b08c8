using System.Text.Json;
using ExampleService.Build.Delivery.Kubernetes;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>What a deploy or rollback left running: the release revision and the verified rollout.</summary>
/// <param name="Revision">The release revision now deployed.</param>
/// <param name="Digest">The image digest every pod runs.</param>
/// <param name="Rollout">The rollout verification's final word.</param>
public sealed record DeploymentOutcome(int Revision, string Digest, RolloutStatus Rollout);

/// <summary>A Helm operation failed; the message says what Helm said and which revision serves now.</summary>
public sealed class HelmDeploymentException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>How long to wait and whether to run the chart's <c>helm test</c> hooks.</summary>
public sealed record DeploymentOptions(TimeSpan Timeout, bool RunHelmTests, TimeSpan PollInterval);

/// <summary>
/// Deploys and rolls back the chart: probes the cluster first (fail fast, naming the kube context), unsticks a
/// release left pending by an interrupted operation, runs Helm with the flags of its major version, then verifies
/// the rollout through the Kubernetes API and runs <c>helm test</c>.
/// </summary>
public sealed class HelmDeployer(HelmCli helm, IBuildLog log, Func<HelmRelease, CancellationToken, Task<KubeConnection>> connect)
{
    /// <summary>
    /// Deploys what <paramref name="prepare"/> describes; it runs once the cluster answered, so an unreachable
    /// cluster is the first thing reported.
    /// </summary>
    public async Task<DeploymentOutcome> DeployAsync(HelmRelease release, Func<HelmUpgradeRequest> prepare, DeploymentOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        var connection = await ConnectAsync(release, cancellationToken).ConfigureAwait(false);
        using var client = connection.Client;
        var request = prepare();
        var digest = request.Digest;
        var commands = await CommandsAsync(cancellationToken).ConfigureAwait(false);

        var history = await helm.GetHistoryAsync(commands, release, cancellationToken).ConfigureAwait(false);
        await RecoverAsync(commands, release, history, options.Timeout, cancellationToken).ConfigureAwait(false);

        log.Information($"Deploying {digest} as {release}");
        try
        {
            await helm.RunAsync(commands.UpgradeInstall(request), logOutput: true, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException e)
        {
            var serving = await ServingAsync(commands, release, cancellationToken).ConfigureAwait(false);
            throw new HelmDeploymentException(
                $"helm upgrade --install of {release} failed and Helm rolled it back ({serving}). {e.Message}", e);
        }

        var revision = await DeployedRevisionAsync(commands, release, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(commands, connection, release, revision, digest, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rolls back to <paramref name="revision"/>, or to the revision before the deployed one when null.</summary>
    public async Task<DeploymentOutcome> RollbackAsync(HelmRelease release, int? revision, DeploymentOptions options, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(release, cancellationToken).ConfigureAwait(false);
        using var client = connection.Client;
        var commands = await CommandsAsync(cancellationToken).ConfigureAwait(false);

        var history = await helm.GetHistoryAsync(commands, release, cancellationToken).ConfigureAwait(false);
        var target = RollbackTarget(history, release, revision);
        var digest = await DigestOfAsync(commands, release, target, cancellationToken).ConfigureAwait(false);

        log.Information($"Rolling back {release} to revision {target} ({digest})");
        await helm.RunAsync(commands.Rollback(release, target, options.Timeout), logOutput: true, cancellationToken).ConfigureAwait(false);

        var deployed = await DeployedRevisionAsync(commands, release, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(commands, connection, release, deployed, digest, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The revision a rollback goes to: the one asked for (it must exist and have been deployed), else the previous deployed one.</summary>
    public static int RollbackTarget(ReleaseHistory history, HelmRelease release, int? revision)
    {
        if (history.IsEmpty)
        {
            throw new HelmDeploymentException($"There is nothing to roll back: {release} does not exist. Deploy it first with './build.sh HelmDeploy'.");
        }

        if (revision is null)
        {
            return history.PreviousDeployed()?.Revision
                ?? throw new HelmDeploymentException(
                    $"{release} has no earlier deployed revision to roll back to ({string.Join(", ", history.Revisions)}). Pass --revision N to choose one.");
        }

        var chosen = history.Revisions.FirstOrDefault(r => r.Revision == revision)
            ?? throw new HelmDeploymentException(
                $"Revision {revision} is not in the history of {release}; it keeps revisions {string.Join(", ", history.Revisions.Select(r => r.Revision))}.");
        return chosen.Status is ReleaseHistory.Deployed or ReleaseHistory.Superseded
            ? chosen.Revision
            : throw new HelmDeploymentException($"Revision {revision} of {release} never went live ({chosen}); pick a deployed or superseded revision.");
    }

    private async Task<KubeConnection> ConnectAsync(HelmRelease release, CancellationToken cancellationToken)
    {
        var connection = await connect(release, cancellationToken).ConfigureAwait(false);
        log.Information($"Kube context {connection.KubeContext}: API server {connection.Server} ({connection.ServerVersion})");
        return connection;
    }

    private async Task<HelmCommandBuilder> CommandsAsync(CancellationToken cancellationToken)
    {
        var version = await helm.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        log.Information(version.HasWaitStrategies
            ? $"Helm {version}: --rollback-on-failure with the watcher wait strategy"
            : $"Helm {version}: --atomic --wait");
        return new HelmCommandBuilder(version);
    }

    private async Task RecoverAsync(HelmCommandBuilder commands, HelmRelease release, ReleaseHistory history, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var decision = PendingReleaseRecovery.Decide(history);
        switch (decision.Kind)
        {
            case RecoveryKind.Rollback:
                log.Warning($"{release}: {decision.Reason}");
                await helm.RunAsync(commands.Rollback(release, decision.Revision!.Value, timeout), logOutput: true, cancellationToken).ConfigureAwait(false);
                break;
            case RecoveryKind.Uninstall:
                log.Warning($"{release}: {decision.Reason}");
                await helm.RunAsync(commands.Uninstall(release, timeout), logOutput: true, cancellationToken).ConfigureAwait(false);
                break;
            default:
                log.Debug($"{release}: {decision.Reason}");
                break;
        }
    }

    private async Task<DeploymentOutcome> VerifyAsync(
        HelmCommandBuilder commands, KubeConnection connection, HelmRelease release, int revision, string digest, DeploymentOptions options, CancellationToken cancellationToken)
    {
        var verifier = new RolloutVerifier(connection.Client, log, options.PollInterval);
        var rollout = await verifier.WaitAsync(release.Namespace, release.DeploymentName, HelmRelease.ChartName, digest, options.Timeout, cancellationToken).ConfigureAwait(false);
        if (options.RunHelmTests)
        {
            try
            {
                await helm.RunAsync(commands.Test(release, options.Timeout), logOutput: true, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessFailedException e)
            {
                throw new HelmDeploymentException(
                    $"helm test failed for revision {revision} of {release}; roll back with './build.sh Rollback --env <env>' if it is broken. {e.Message}", e);
            }
        }

        return new DeploymentOutcome(revision, digest, rollout);
    }

    private async Task<int> DeployedRevisionAsync(HelmCommandBuilder commands, HelmRelease release, CancellationToken cancellationToken)
    {
        var history = await helm.GetHistoryAsync(commands, release, cancellationToken).ConfigureAwait(false);
        return history.LastDeployed?.Revision
            ?? throw new HelmDeploymentException($"Helm reported success, but {release} has no deployed revision: {string.Join(", ", history.Revisions)}.");
    }

    private async Task<string> ServingAsync(HelmCommandBuilder commands, HelmRelease release, CancellationToken cancellationToken)
    {
        try
        {
            var history = await helm.GetHistoryAsync(commands, release, cancellationToken).ConfigureAwait(false);
            return history.LastDeployed is { } deployed ? $"serving {deployed}" : "no revision is deployed";
        }
        catch (InvalidOperationException e)
        {
            return $"its history could not be read: {e.Message}";
        }
    }

    /// <summary>The image digest a revision was deployed with: what the pods must run after rolling back to it.</summary>
    private async Task<string> DigestOfAsync(HelmCommandBuilder commands, HelmRelease release, int revision, CancellationToken cancellationToken)
    {
        var values = await helm.RunAsync(commands.GetValues(release, revision), logOutput: false, cancellationToken).ConfigureAwait(false);
        return DigestFromValues(values.StandardOutput)
            ?? throw new HelmDeploymentException(
                $"Revision {revision} of {release} was not deployed by HelmDeploy (its values have no image.digest), so the rollout cannot be verified against a digest.");
    }

    /// <summary><c>image.digest</c> from the output of <c>helm get values -o json</c>, or null.</summary>
    public static string? DigestFromValues(string valuesJson)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(valuesJson) ? "{}" : valuesJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("image", out var image)
                   && image.ValueKind == JsonValueKind.Object
                   && image.TryGetProperty("digest", out var digest)
                   && digest.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException e)
        {
            throw new HelmDeploymentException($"'helm get values -o json' printed something that is not JSON: {e.Message}", e);
        }
    }
}
