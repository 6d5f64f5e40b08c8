using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace ExampleService.Tests.Operations;

/// <summary>Each setting's check names the environment variable to fix (the process-level path is in ProcessTests).</summary>
public sealed class SettingsTests
{
    public static TheoryData<IValidatableSettings, string> BadSettings => new()
    {
        { new DatabaseOptions { Provider = "1" }, "Database__Provider must be 'Sqlite' or 'Postgres'" },
        { new DatabaseOptions { Provider = "postgres", ConnectionString = " " }, "Database__ConnectionString is required" },
        { new DatabaseOptions { DataDirectory = "" }, "Database__DataDirectory must not be empty" },
        { new ServerOptions { ShutdownTimeoutSeconds = -1 }, "Server__ShutdownTimeoutSeconds must be between 0 and 3600" },
        { new ServerOptions { MaxRequestBodyBytes = 200_000_000 }, "Server__MaxRequestBodyBytes must be between" },
        { new RateLimitingOptions { PermitLimit = 0 }, "RateLimiting__PermitLimit must be at least 1" },
        { new RateLimitingOptions { WindowSeconds = 0 }, "RateLimiting__WindowSeconds must be between 1 and 3600" },
        { new SyslogOptions { Path = " " }, "Syslog__Path must not be blank" },
        { new SyslogOptions { AppName = "has space" }, "Syslog__AppName must be 1-48 printable ASCII characters" },
        { new SyslogOptions { Facility = -1 }, "Syslog__Facility must be between 0 and 23" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_value_is_reported_with_its_environment_variable(IValidatableSettings settings, string message) =>
        Assert.Contains(settings.Validate(), m => m.StartsWith(message, StringComparison.Ordinal));

    [Fact]
    public void Defaults_are_valid_and_sqlite_migrates_on_startup_by_default()
    {
        IValidatableSettings[] defaults = [new DatabaseOptions(), new ServerOptions(), new RateLimitingOptions(), new SyslogOptions()];

        Assert.All(defaults, settings => Assert.Empty(settings.Validate()));
        Assert.True(new DatabaseOptions().ShouldMigrateOnStartup);
        Assert.False(new DatabaseOptions { Provider = "Postgres", ConnectionString = "Host=db" }.ShouldMigrateOnStartup);
        Assert.True(new DatabaseOptions { Provider = "Postgres", ConnectionString = "Host=db", MigrateOnStartup = true }.ShouldMigrateOnStartup);
    }

    [Fact]
    public void Configuration_errors_are_described_in_one_line_and_other_errors_are_not()
    {
        var validation = new OptionsValidationException("x", typeof(ServerOptions), ["first.", "second."]);
        var binding = new InvalidOperationException(
            "Failed to convert configuration value 'lots' at 'RateLimiting:PermitLimit' to type 'System.Int32'.", new FormatException("bad"));

        Assert.Equal("first. second.", ConfigurationErrors.Describe(validation));
        Assert.Equal("RateLimiting__PermitLimit has a value of the wrong type: bad", ConfigurationErrors.Describe(new AggregateException(binding)));
        Assert.Null(ConfigurationErrors.Describe(new InvalidOperationException("unrelated", new FormatException())));
        Assert.Null(ConfigurationErrors.Describe(new IOException("disk")));
    }
}
