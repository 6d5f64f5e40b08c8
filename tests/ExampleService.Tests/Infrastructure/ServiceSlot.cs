namespace ExampleService.Tests.Infrastructure;

/// <summary>
/// The service host of one test class (class fixture): started by the first test with the class's database and
/// settings, shared by the class's tests, disposed with its database after the last one.
/// </summary>
public sealed class ServiceSlot : IAsyncLifetime
{
    private readonly Lock _lock = new();
    private Task<ServiceFactory>? _starting;
    private TestDatabase? _database;

    public Task<ServiceFactory> StartAsync(ITestDatabases databases, IReadOnlyDictionary<string, string?> settings)
    {
        lock (_lock)
        {
            return _starting ??= StartCoreAsync(databases, settings);
        }
    }

    private async Task<ServiceFactory> StartCoreAsync(ITestDatabases databases, IReadOnlyDictionary<string, string?> settings)
    {
        _database = await databases.CreateAsync($"test_{Guid.NewGuid():N}");
        var all = new Dictionary<string, string?>(_database.Settings);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var factory = new ServiceFactory(all);
        _ = factory.Server; // starts the host now, so that a broken start fails here with its own message
        return factory;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_starting is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }

        _database?.Remove();
    }
}
