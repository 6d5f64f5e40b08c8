using ExampleService.Build.Delivery.Environments;

namespace ExampleService.Build.Delivery;

/// <summary>
/// Whether a deploy, promotion or rollback may touch an environment: the one rule for protected environments, which
/// <c>environments.json</c> marks. Every target that acts on a cluster asks it before anything else.
/// </summary>
public static class DeployGateDecision
{
    /// <summary>The approval's environment variable; CI sets it in the jobs behind a protected environment's approval gate.</summary>
    public const string ApprovalVariable = "DEPLOY_APPROVED";

    /// <summary>Returns what will happen where, or throws with how to approve it.</summary>
    public static string Check(DeployEnvironment environment, string action, bool approved)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Protected && !approved)
        {
            throw new InvalidOperationException(
                $"Refusing to {action} {environment.Name} without an approval: {environment.Name} is protected in {EnvironmentDeclaration.FileName}. "
                + $"By hand pass --deploy-approved; CI sets {ApprovalVariable}=true in the jobs behind {environment.Name}'s approval gate (README, 'Approvals').");
        }

        return environment.Protected ? $"About to {action} {environment.Name} (approved)." : $"About to {action} {environment.Name}.";
    }
}
