using TypedBuild.Provisioning.Daemons;

namespace Build.Tests.Delivery.Docker;

/// <summary>
/// A fact that needs a Docker engine and the local registry, which the fixture starts when it may (root, Debian
/// packages docker.io and docker-registry). Skipped locally when neither an engine answers nor one can be started;
/// in CI (<c>CI=true</c>) it always runs, so a machine without Docker fails instead of passing silently.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!isCi && !CanHaveEngine())
        {
            Skip = "No Docker engine answers and none can be started here (needs root and dockerd); required when CI=true.";
        }
    }

    private static bool CanHaveEngine()
    {
        var engine = new DockerEngine();
        return DockerEngine.PingAsync(engine.Endpoint, default).GetAwaiter().GetResult()
            || (Environment.IsPrivilegedProcess && File.Exists("/usr/sbin/dockerd") && File.Exists("/usr/bin/docker-registry"));
    }
}
