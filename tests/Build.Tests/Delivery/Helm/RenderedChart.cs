using ExampleService.Build.Delivery.Helm;
using k8s;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart rendered once per environment and Helm major with the values HelmDeploy sets, shared by the chart
/// tests (helm template takes ~0.1 s, but there are six renders and many assertions).
/// </summary>
public sealed class RenderedChart
{
    public const string Release = "example-service";
    public const string Namespace = "example-service-test";
    public const string Repository = "registry.example.com/example-service";
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly string[] Environments = ["dev", "staging", "prod"];

    public static readonly int[] Majors = [3, 4];

    private readonly Dictionary<(int Major, string Environment), Task<string>> _renders = [];
    private readonly Lock _gate = new();

    public static IReadOnlyList<KeyValuePair<string, string>> ImageValues { get; } =
        [new("image.repository", Repository), new("image.digest", Digest)];

    public static TheoryData<int, string> EnvironmentsByMajor()
    {
        var data = new TheoryData<int, string>();
        foreach (var major in Majors)
        {
            foreach (var environment in Environments)
            {
                data.Add(major, environment);
            }
        }

        return data;
    }

    public static TheoryData<string> EnvironmentNames() => [.. Environments];

    public static string ValuesFile(string environment) => Path.Combine(HelmTestEnvironment.ChartDirectory, $"values-{environment}.yaml");

    public Task<string> YamlAsync(int major, string environment)
    {
        lock (_gate)
        {
            if (!_renders.TryGetValue((major, environment), out var render))
            {
                render = RunHelmAsync(major, HelmCommandBuilder.Template(Release, HelmTestEnvironment.ChartDirectory, Namespace, ValuesFile(environment), ImageValues));
                _renders[(major, environment)] = render;
            }

            return render;
        }
    }

    public async Task<IReadOnlyList<object>> ObjectsAsync(int major, string environment) =>
        KubernetesYaml.LoadAllFromString(await YamlAsync(major, environment), ChartTypes.Map, strict: true);

    public static async Task<string> RunHelmAsync(int major, IReadOnlyList<string> arguments)
    {
        var result = await RunHelmAllowingFailureAsync(major, arguments);
        Assert.True(result.ExitCode == 0, $"helm {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardError}\n{result.StandardOutput}");
        return result.StandardOutput;
    }

    public static Task<ProcessResult> RunHelmAllowingFailureAsync(int major, IReadOnlyList<string> arguments)
    {
        var helm = HelmTestEnvironment.HelmBinary(major)
            ?? throw new InvalidOperationException(HelmTestEnvironment.MissingHelmReason(major));
        return new TestProcessRunner().RunAsync(helm, arguments, new ProcessOptions { AllowNonZeroExitCode = true, Environment = HelmHome.Variables });
    }
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
