using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace ExampleService.Tests.Infrastructure;

/// <summary>The service in memory, configured like production through settings (the keys of its environment variables).</summary>
public sealed class ServiceFactory(IReadOnlyDictionary<string, string?> settings, string environment = "Production")
    : WebApplicationFactory<Program>
{
    /// <summary>
    /// Settings every test host gets: quiet console, start-up migrations on, limits far above what tests send, the API document on, and
    /// the test credentials (<see cref="TestCredentials.HostSettings"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Defaults => new Dictionary<string, string?>(TestCredentials.HostSettings)
    {
        ["Logging:Console:LogLevel:Default"] = "Warning",
        ["Database:MigrateOnStartup"] = "true",
        ["RateLimiting:PermitLimit"] = "100000",
        ["ApiDocument:Enabled"] = "true",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // As host settings too: those are what the service's builder sees while it registers services (the tracing
        // decision), the application configuration below applies only once the host is built, over appsettings.json.
        foreach (var (key, value) in Defaults.Concat(settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Defaults).AddInMemoryCollection(settings));
    }
}
