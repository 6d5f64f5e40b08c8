using TypedBuild.Provisioning.Postgres;

namespace TypedBuild.Tests.Provisioning;

/// <summary>
/// A fact that needs the PostgreSQL server binaries. Locally it is skipped with the reason when they are missing;
/// in CI (<c>CI=true</c>) it always runs, so a machine without PostgreSQL fails instead of passing silently.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!isCi && !ThrowawayPostgresCluster.IsInstalled)
        {
            Skip = "PostgreSQL server binaries not found (apt-get install postgresql); required when CI=true.";
        }
    }
}
