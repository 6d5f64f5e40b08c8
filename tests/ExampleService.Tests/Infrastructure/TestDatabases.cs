using ExampleService.Infrastructure.Configuration;

namespace ExampleService.Tests.Infrastructure;

/// <summary>An empty database of one provider, as the service's settings that point at it.</summary>
public sealed record TestDatabase(IReadOnlyDictionary<string, string?> Settings, Action Remove);

/// <summary>Where the tests of one provider get their databases: one per test class, so classes do not see each other's users.</summary>
public interface ITestDatabases
{
    DatabaseProvider Provider { get; }

    Task<TestDatabase> CreateAsync(string name);
}

/// <summary>SQLite files in a fresh temporary directory each (the service creates the file on first start).</summary>
public sealed class SqliteDatabases : ITestDatabases
{
    public static readonly SqliteDatabases Instance = new();

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public Task<TestDatabase> CreateAsync(string name)
    {
        var directory = Directory.CreateTempSubdirectory("example-service-tests-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = Path.Combine(directory, "data"),
        };
        return Task.FromResult(new TestDatabase(settings, () => Directory.Delete(directory, recursive: true)));
    }
}
