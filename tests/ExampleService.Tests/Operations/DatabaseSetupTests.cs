using ExampleService.Data;
using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExampleService.Tests.Operations;

public sealed class DatabaseSetupTests
{
    private static readonly IServiceProvider EmptyServices = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public void Postgres_connection_strings_get_auto_prepare_no_reset_and_no_gss_probe_unless_the_operator_chose()
    {
        var defaulted = DatabaseSetup.WithPostgresDefaults("Host=db;Database=users;Username=app");
        var chosen = DatabaseSetup.WithPostgresDefaults("Host=db;Max Auto Prepare=0;NoResetOnClose=false;gss encryption mode=Require");

        Assert.Contains("Max Auto Prepare=32", defaulted, StringComparison.Ordinal);
        Assert.Contains("No Reset On Close=True", defaulted, StringComparison.Ordinal);
        Assert.Contains("GSS Encryption Mode=Disable", defaulted, StringComparison.Ordinal);
        Assert.DoesNotContain("Max Auto Prepare=32", chosen, StringComparison.Ordinal);
        Assert.DoesNotContain("No Reset On Close=True", chosen, StringComparison.Ordinal);
        Assert.Contains("GSS Encryption Mode=Require", chosen, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sqlite_file_database_is_created_empty_on_first_start_and_an_existing_one_is_kept()
    {
        var root = Directory.CreateTempSubdirectory("example-service-setup-").FullName;
        try
        {
            var fresh = Path.Combine(root, "fresh", "users.db");
            var existing = Path.Combine(root, "existing.db");
            File.WriteAllText(existing, "kept");

            DatabaseSetup.SqliteConnectionString(new DatabaseOptions { ConnectionString = $"Data Source={fresh}" }, EmptyServices);
            DatabaseSetup.SqliteConnectionString(new DatabaseOptions { ConnectionString = $"Data Source={existing}" }, EmptyServices);
            DatabaseSetup.SqliteConnectionString(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(root, "ro.db")};Mode=ReadOnly" }, EmptyServices);

            Assert.Equal(0, new FileInfo(fresh).Length);
            Assert.Equal("kept", File.ReadAllText(existing));
            Assert.False(File.Exists(Path.Combine(root, "ro.db")), "a connection string that forbids creating the file is obeyed");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
