using ExampleService.Infrastructure.Configuration;
using TypedBuild.Provisioning.Postgres;

namespace ExampleService.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (collection fixture), one database in it per test class.
/// Without the server binaries it fails with the install command; it never skips, so CI cannot pass without it.
/// </summary>
public sealed class PostgresClusterFixture : ITestDatabases, IAsyncLifetime
{
    private ThrowawayPostgresCluster? _cluster;

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public async Task InitializeAsync()
    {
        if (!ThrowawayPostgresCluster.IsInstalled)
        {
            throw new InvalidOperationException(
                "The PostgreSQL variants of the service tests need the PostgreSQL server binaries: apt-get install -y postgresql. "
                + "To run only the SQLite variants locally: dotnet test --filter Provider!=Postgres");
        }

        _cluster = await ThrowawayPostgresCluster.StartAsync();
    }

    public async Task<TestDatabase> CreateAsync(string name)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("The PostgreSQL cluster has not started.");
        var connectionString = await cluster.CreateDatabaseAsync(name);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connectionString,
        };

        // The whole cluster is deleted at the end of the run.
        return new TestDatabase(settings, () => { });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedPostgresCluster : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "PostgreSQL";
}
