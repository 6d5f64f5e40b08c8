using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExampleService.Data;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>The probes of a migrated service.</summary>
public abstract class HealthTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    [Theory]
    [InlineData("/health/live", null)]
    [InlineData("/health/ready", "database")]
    [InlineData("/health/startup", "started")]
    public async Task Probes_answer_200_healthy_with_their_checks(string path, string? check)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(check is null ? [] : [check], checks);
    }
}

public sealed class HealthSqliteTests(ServiceSlot slot) : HealthTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class HealthPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : HealthTests(slot, postgres);

/// <summary>A service started without start-up migrations, on an empty database: not ready until migrated.</summary>
public abstract class MigrationTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Database:MigrateOnStartup"] = "false",
    };

    [Fact]
    public async Task Unmigrated_database_is_not_ready_and_the_migrate_command_makes_it_ready()
    {
        using var notReady = await Client.GetAsync("/health/ready");
        using var failing = await Client.GetAsync($"{UsersPath}/{Guid.NewGuid()}");
        using var live = await Client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("migration(s) pending", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var problem = await AssertProblemAsync(failing, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("users", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await DatabaseMigrator.MigrateAsync(Service.Services);
        await DatabaseMigrator.MigrateAsync(Service.Services); // a second run finds nothing to do

        using var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await Client.CreateUserAsync();
    }
}

public sealed class MigrationSqliteTests(ServiceSlot slot) : MigrationTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class MigrationPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : MigrationTests(slot, postgres);
