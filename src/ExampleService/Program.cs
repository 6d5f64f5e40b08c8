using ExampleService;
using ExampleService.Data;
using ExampleService.Infrastructure.Configuration;
using ExampleService.Infrastructure.Hosting;
using ExampleService.Infrastructure.Security;
using Microsoft.Extensions.Options;

// First, so the runtime can compile ahead everything below on a second core.
StartupJitProfile.StartIfConfigured();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddExampleService();
    var app = builder.Build().UseExampleService();

    // Check every setting before touching the database (migrate) or the network (run).
    app.Services.GetService<IStartupValidator>()?.Validate();

    if (args is ["migrate", ..])
    {
        await DatabaseMigrator.MigrateAsync(app.Services);
        return 0;
    }

    await app.CheckIssuerAsync();
    await app.MigrateOnStartupIfConfiguredAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync($"Invalid configuration: {message}");
    return 2;
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program
{
    protected Program()
    {
    }
}
