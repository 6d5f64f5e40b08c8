using ExampleService.Infrastructure.Configuration;

namespace ExampleService.Tests.Infrastructure;

/// <summary>
/// Base of every test class that talks to the service over HTTP. A scenario is written once in an abstract class
/// and runs on each provider through two small sealed subclasses (…SqliteTests and …PostgresTests).
/// </summary>
public abstract class ServiceTests(ServiceSlot slot, ITestDatabases databases) : IClassFixture<ServiceSlot>, IAsyncLifetime
{
    private HttpClient? _client;
    private ServiceFactory? _service;

    protected DatabaseProvider Provider => databases.Provider;

    protected ServiceFactory Service => _service ?? throw new InvalidOperationException("The service has not started.");

    /// <summary>A client that sends a token of the test issuer with the read and write scopes.</summary>
    protected HttpClient Client => _client ?? throw new InvalidOperationException("The service has not started.");

    /// <summary>A client without credentials.</summary>
    protected HttpClient AnonymousClient() => Service.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>Settings of this class's host on top of <see cref="ServiceFactory.Defaults"/> and the database's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _service = await slot.StartAsync(databases, Settings);
        _client = AnonymousClient().Authorized();
    }

    public Task DisposeAsync()
    {
        _client?.Dispose();
        return Task.CompletedTask;
    }
}
