using System.Diagnostics;
using System.Net.Sockets;
using TypedBuild.Provisioning.Postgres;

namespace TypedBuild.Tests.Provisioning;

public class ThrowawayPostgresClusterTests
{
    [PostgresFact]
    public async Task Start_serves_queries_on_loopback_and_dispose_removes_everything()
    {
        var cluster = await ThrowawayPostgresCluster.StartAsync(CancellationToken.None);
        string root;
        int port;
        await using (cluster)
        {
            root = cluster.RootDirectory;
            port = cluster.Port;
            Assert.Equal($"Host=127.0.0.1;Port={port};Username=app;Database=postgres", cluster.ConnectionString);

            var connectionString = await cluster.CreateDatabaseAsync("orders");

            Assert.EndsWith("Database=orders", connectionString, StringComparison.Ordinal);
            Assert.Equal("orders|app", await QueryAsync(port, "orders", "select current_database() || '|' || current_user"));
        }

        Assert.False(Directory.Exists(root));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [PostgresFact]
    public async Task Two_clusters_run_side_by_side_on_different_ports()
    {
        await using var first = await ThrowawayPostgresCluster.StartAsync(CancellationToken.None);
        await using var second = await ThrowawayPostgresCluster.StartAsync(CancellationToken.None);

        Assert.NotEqual(first.Port, second.Port);
        Assert.Equal("1", await QueryAsync(second.Port, "postgres", "select 1"));
    }

    private static async Task<string> QueryAsync(int port, string database, string sql)
    {
        var psi = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(), "-U", "app", "-d", database, "-Atc", sql })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }
}
