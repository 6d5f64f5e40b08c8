using ExampleService.Build.Delivery.Helm;
using k8s;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart rendered once per Helm major and environment with the values Promote sets, shared by the chart
/// tests: eight renders, many assertions.
/// </summary>
public sealed class RenderedChart(HelmToolchain toolchain)
{
    public const string Release = "example-service";
    public const string Namespace = "example-service-test";
    public const string Repository = "registry.example.com/example-service";
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>Every environment environments.json declares with a values file, in declaration order.</summary>
    public static readonly string[] Environments = [.. ExampleService.Build.Delivery.Environments.EnvironmentDeclaration
        .Load(TypedBuild.AbsolutePath.Create(HelmToolchain.RepositoryRoot)).All.Where(e => e.ValuesFile is not null).Select(e => e.Name)];

    public static readonly int[] Majors = [3, 4];

    private readonly Dictionary<(int Major, string Environment), Task<string>> _renders = [];
    private readonly Lock _gate = new();

    public static IReadOnlyList<KeyValuePair<string, string>> ImageValues { get; } =
        [new("image.repository", Repository), new(HelmUpgradeRequest.DigestKey, Digest)];

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

    public static string ValuesFile(string environment) => Path.Combine(HelmToolchain.ChartDirectory, $"values-{environment}.yaml");

    public Task<string> YamlAsync(int major, string environment)
    {
        lock (_gate)
        {
            if (!_renders.TryGetValue((major, environment), out var render))
            {
                render = RenderAsync(major, environment);
                _renders[(major, environment)] = render;
            }

            return render;
        }
    }

    /// <summary>Every rendered document as its KubernetesClient model, loaded strictly: an unknown field throws.</summary>
    public async Task<IReadOnlyList<object>> ObjectsAsync(int major, string environment) =>
        KubernetesYaml.LoadAllFromString(await YamlAsync(major, environment), ChartTypes.Map, strict: true);

    public async Task<T> SingleAsync<T>(string environment, int major = 4) =>
        Assert.Single((await ObjectsAsync(major, environment)).OfType<T>());

    private async Task<string> RenderAsync(int major, string environment)
    {
        var result = await toolchain.RunHelmAsync(
            major, HelmCommandBuilder.Template(Release, HelmToolchain.ChartDirectory, Namespace, ValuesFile(environment), ImageValues));
        return result.StandardOutput;
    }
}
