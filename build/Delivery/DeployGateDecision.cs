namespace ExampleService.Build.Delivery;

/// <summary>Whether a deploy may start: a known environment, and for prod an explicit confirmation.</summary>
public static class DeployGateDecision
{
    public const string Production = "prod";

    /// <summary>Returns what will be deployed where, or throws with what to pass.</summary>
    public static string Check(string? environment, IReadOnlyCollection<string> environments, bool productionConfirmed)
    {
        if (string.IsNullOrWhiteSpace(environment))
        {
            throw new InvalidOperationException(
                $"Deploy needs an environment: --env {string.Join('|', environments)} (local runs the service on this machine's Docker engine).");
        }

        if (!environments.Contains(environment))
        {
            throw new InvalidOperationException(
                $"--env {environment} is not an environment Deploy knows; use one of {string.Join(", ", environments)}.");
        }

        if (environment == Production && !productionConfirmed)
        {
            throw new InvalidOperationException(
                "Refusing to deploy to prod without a confirmation: pass --confirm-production, or run it from the CI prod job after its approval gate (which sets DEPLOY_APPROVED=true).");
        }

        return environment == Production ? "Deploying to prod (confirmed)." : $"Deploying to {environment}.";
    }
}
