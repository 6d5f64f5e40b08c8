using ExampleService.Data;

namespace ExampleService.Tests.Operations;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void Postgres_connection_strings_get_auto_prepare_and_no_reset_unless_the_operator_chose()
    {
        var defaulted = DatabaseSetup.WithPostgresDefaults("Host=db;Database=users;Username=app");
        var chosen = DatabaseSetup.WithPostgresDefaults("Host=db;Max Auto Prepare=0;NoResetOnClose=false");

        Assert.Contains("Max Auto Prepare=32", defaulted, StringComparison.Ordinal);
        Assert.Contains("No Reset On Close=True", defaulted, StringComparison.Ordinal);
        Assert.DoesNotContain("Max Auto Prepare=32", chosen, StringComparison.Ordinal);
        Assert.DoesNotContain("No Reset On Close=True", chosen, StringComparison.Ordinal);
    }
}
