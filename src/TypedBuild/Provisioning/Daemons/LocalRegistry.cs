using System.Globalization;

namespace TypedBuild.Provisioning.Daemons;

/// <summary>
/// An OCI registry on <c>127.0.0.1:&lt;port&gt;</c> for images and Helm charts: Debian's <c>docker-registry</c>
/// with its own loopback-only configuration and data under <c>.tools/registry-data</c>. Present when
/// <c>/v2/</c> already answers; otherwise started, and stopped when the build ends.
/// </summary>
public sealed class LocalRegistry(int port = 5000) : IToolRequirement
{
    /// <summary>Debian's registry server, which this requirement starts; tests that start registries of their own need it too.</summary>
    public static AptPackage ServerPackage { get; } = new("docker-registry", "docker-registry");

    public int Port { get; } = port;

    /// <summary>Host and port to tag images with, e.g. <c>127.0.0.1:5000/example-service:1.2.3</c>.</summary>
    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string Name => $"OCI registry at {Address}";

    public async Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            return RequirementCheck.Present(Address);
        }

        var package = ServerPackage.Check(context);
        return package.State switch
        {
            RequirementState.Present => RequirementCheck.Installable($"will start docker-registry on {Address}"),
            RequirementState.Installable => RequirementCheck.Installable($"will apt-get install docker-registry and start it on {Address}"),
            _ => RequirementCheck.Missing(
                $"No registry answers at http://{Address}/v2/ and {package.Detail}",
                $"{package.InstallHint}; or run any OCI registry on {Address}"),
        };
    }

    public string? UnmetOn(DeclaredMachine machine) => ServerPackage.UnmetOn(machine);

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await ServerPackage.EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        var directory = context.ToolsDirectory / "registry";
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(context.ToolsDirectory / "registry-data");
        var config = directory / $"config-{Port}.yml";
        await File.WriteAllTextAsync(config, Configuration(context.ToolsDirectory / "registry-data"), cancellationToken).ConfigureAwait(false);
        return await BackgroundDaemon.StartAsync(
            $"registry {Address}",
            "docker-registry",
            ["serve", config],
            directory / $"registry-{Port}.log",
            AnswersAsync,
            TimeSpan.FromSeconds(30),
            context.Log,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            // 200, or 401 when the registry wants credentials: either way a registry is there.
            using var response = await client.GetAsync(new Uri($"http://{Address}/v2/"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Unauthorized;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private string Configuration(AbsolutePath dataDirectory) => $"""
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: {dataDirectory}
          delete:
            enabled: true
        http:
          addr: {Address}
          headers:
            X-Content-Type-Options: [nosniff]
        """;
}
