using Build.Tests.Delivery.Docker;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// Both Helm majors, the build's npm tools (kubernetes-models) and the local OCI registry, provisioned once for the
/// Helm tests through the engine's own requirements, the way the build provisions them (cached under .tools/).
/// Nothing here skips: a machine that cannot provision them fails the tests with the engine's message.
/// </summary>
public sealed class HelmToolchain : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _lifetimes = [];

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChartDirectory => Path.Combine(RepositoryRoot, "charts", "example-service");

    public static IReadOnlyDictionary<string, string?> HelmEnvironment => HelmHome.Variables;

    public ProvisioningContext Context { get; } = new(
        AbsolutePath.Create(RepositoryRoot),
        AbsolutePath.Create(RepositoryRoot) / ".tools",
        new RecordingLog(),
        new TestProcessRunner(),
        Environment.IsPrivilegedProcess,
        IsServerBuild: false);

    public LocalRegistryAddress Registry { get; } = new(Tools.Registry.Address);

    /// <summary>Where the npm tools of build/tools are installed (node_modules lives there).</summary>
    public string NpmToolsDirectory { get; private set; } = string.Empty;

    public string ValidateScript => Path.Combine(RepositoryRoot, "build", "tools", "validate-k8s.mjs");

    private Dictionary<int, string> Binaries { get; } = [];

    public string Helm(int major) => Binaries[major];

    /// <summary>The chart rendered per Helm major and environment, shared by every test of the collection.</summary>
    public RenderedChart Chart => _chart ??= new RenderedChart(this);

    private RenderedChart? _chart;

    public async Task<TypedBuild.Processes.ProcessResult> RunHelmAsync(int major, IReadOnlyList<string> arguments, bool allowFailure = false)
    {
        var result = await new TestProcessRunner().RunAsync(
            Helm(major), arguments, new TypedBuild.Processes.ProcessOptions { AllowNonZeroExitCode = true, Environment = HelmHome.Variables });
        Assert.True(allowFailure || result.ExitCode == 0, $"helm {major}: helm {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardError}\n{result.StandardOutput}");
        return result;
    }

    public async Task InitializeAsync()
    {
        foreach (var tool in new[] { Tools.Helm3, Tools.Helm4 })
        {
            await EnsureAsync(tool);
            Binaries[int.Parse(tool.HelmVersion.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)] = tool.ExecutablePath;
        }

        var npmTools = new NpmPackages(AbsolutePath.Create(RepositoryRoot) / "build" / "tools");
        await EnsureAsync(npmTools);
        NpmToolsDirectory = npmTools.InstallDirectory(Context);

        try
        {
            await EnsureAsync(Tools.Registry);
        }
        catch (InvalidOperationException)
        {
            // Another fixture of this test run may have started it first; if it answers, that is all the tests need.
            if (!await Tools.Registry.AnswersAsync(CancellationToken.None))
            {
                throw;
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var lifetime in Enumerable.Reverse(_lifetimes))
        {
            await lifetime.DisposeAsync();
        }
    }

    private async Task EnsureAsync(IToolRequirement requirement)
    {
        var check = await requirement.CheckAsync(Context, CancellationToken.None);
        if (check.State == RequirementState.Missing)
        {
            throw new InvalidOperationException($"{requirement.Name} is missing: {check.Detail} Install it: {check.InstallHint}");
        }

        if (await requirement.EnsureAsync(Context, CancellationToken.None) is { } lifetime)
        {
            _lifetimes.Add(lifetime);
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

/// <summary>host:port of the local registry, e.g. 127.0.0.1:5000.</summary>
public sealed record LocalRegistryAddress(string Address)
{
    public string OciRepository(string path) => $"oci://{Address}/{path}";
}

/// <summary>Keeps Helm's cache, config and data of the tests out of the user's home.</summary>
internal static class HelmHome
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "example-service-helm-tests");

    public static IReadOnlyDictionary<string, string?> Variables { get; } = new Dictionary<string, string?>
    {
        ["HELM_CACHE_HOME"] = Path.Combine(Root, "cache"),
        ["HELM_CONFIG_HOME"] = Path.Combine(Root, "config"),
        ["HELM_DATA_HOME"] = Path.Combine(Root, "data"),
    };
}

[CollectionDefinition(Name)]
public sealed class HelmToolchainGroup : ICollectionFixture<HelmToolchain>
{
    public const string Name = "Helm toolchain";
}
