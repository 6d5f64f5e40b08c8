namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The generated jobs that reach a cluster, which the proofs stop before (there is no Kubernetes API server here):
/// each system names them <c>deploy-&lt;env&gt;</c> and <c>rollback-&lt;env&gt;</c>.
/// </summary>
public static class ClusterJobs
{
    public static bool IsDeploy(string job) => job.StartsWith("deploy-", StringComparison.Ordinal);

    public static bool IsRollback(string job) => job.StartsWith("rollback-", StringComparison.Ordinal);

    public static bool ReachesTheCluster(string job) => IsDeploy(job) || IsRollback(job);
}
