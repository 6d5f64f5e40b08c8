using System.Text.Json;
using k8s.Models;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart rendered for every environment fits the cluster infra/ prepares for it, and its own helm test passes its
/// own NetworkPolicy: test pods are never taken for app pods, reach the service as clients do, and only read where
/// the data is real. infra/environments.auto.tfvars.json is the Terraform input these checks read.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class ClusterCoherenceTests(HelmToolchain toolchain)
{
    private static readonly JsonElement Infra = JsonDocument.Parse(File.ReadAllText(Path.Combine(HelmToolchain.RepositoryRoot, "infra", "environments.auto.tfvars.json"))).RootElement.GetProperty("environments");

    private static readonly string[] SecretKeys = ["database_secret", "api_keys_secret", "helm_test_key_secret"];

    public static TheoryData<string> InfraEnvironments() => [.. Infra.EnumerateObject().Select(e => e.Name)];

    [Fact]
    public void Infra_prepares_exactly_the_promoted_environments_with_the_profiles_context_and_namespace()
    {
        var declared = ExampleService.Build.Delivery.Environments.EnvironmentDeclaration.Load(TypedBuild.AbsolutePath.Create(HelmToolchain.RepositoryRoot));

        Assert.Equal(declared.Promotion.Select(e => e.Name), Infra.EnumerateObject().Select(e => e.Name));
        foreach (var environment in declared.Promotion)
        {
            var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(HelmToolchain.RepositoryRoot, environment.Profile))).RootElement;
            Assert.Equal(profile.GetProperty("KubeContext").GetString(), Infra.GetProperty(environment.Name).GetProperty("kube_context").GetString());
            Assert.Equal(profile.GetProperty("KubeNamespace").GetString(), Infra.GetProperty(environment.Name).GetProperty("namespace").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task Helm_test_pods_are_not_app_pods_and_pass_the_network_policy(string environment)
    {
        var objects = await toolchain.Chart.ObjectsAsync(4, environment);
        var tests = objects.OfType<V1Pod>().Where(p => p.Metadata.Annotations is { } annotations && annotations.TryGetValue("helm.sh/hook", out var hook) && hook == "test").ToList();
        Assert.NotEmpty(tests);
        var selector = objects.OfType<V1Deployment>().Single().Spec.Selector.MatchLabels;

        Assert.All(tests, pod => Assert.False(Matches(selector, pod.Metadata.Labels), $"{pod.Metadata.Name} carries the app's selector labels"));
        foreach (var policy in objects.OfType<V1NetworkPolicy>())
        {
            Assert.All(tests, pod => Assert.False(Matches(policy.Spec.PodSelector.MatchLabels, pod.Metadata.Labels), $"{policy.Metadata.Name} selects {pod.Metadata.Name}, so its egress rules would cut it off"));
            var http = policy.Spec.Ingress.Where(rule => rule.Ports?.Any(p => p.Port?.Value == "http") == true).ToList();
            Assert.All(tests, pod => Assert.True(
                http.Exists(rule => rule.FromProperty is null || rule.FromProperty.Any(from => from.PodSelector is { } s && from.NamespaceSelector is null && Matches(s.MatchLabels, pod.Metadata.Labels))),
                $"{policy.Metadata.Name} lets {pod.Metadata.Name} not reach the http port"));
        }
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task Helm_test_pods_pull_their_image_by_digest(string environment)
    {
        var images = (await toolchain.Chart.ObjectsAsync(4, environment)).OfType<V1Pod>().SelectMany(p => p.Spec.Containers).Select(c => c.Image).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches("@sha256:[0-9a-f]{64}$", image));
    }

    [Theory]
    [MemberData(nameof(InfraEnvironments))]
    public async Task Where_infra_provides_a_database_the_helm_test_only_reads(string environment)
    {
        if (Infra.GetProperty(environment).GetProperty("database_secret").ValueKind == JsonValueKind.Null)
        {
            Assert.DoesNotContain("Postgres", await toolchain.Chart.YamlAsync(4, environment), StringComparison.Ordinal);
            return;
        }

        var scripts = (await toolchain.Chart.ObjectsAsync(4, environment)).OfType<V1Pod>().SelectMany(p => p.Spec.Containers).SelectMany(c => c.Args ?? []).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.DoesNotMatch("-X (POST|PUT|PATCH|DELETE)", script));
    }

    [Theory]
    [MemberData(nameof(InfraEnvironments))]
    public async Task The_chart_reads_only_the_secrets_infra_creates_or_the_chart_renders(string environment)
    {
        var objects = await toolchain.Chart.ObjectsAsync(4, environment);
        var declared = SecretKeys
            .Select(key => Infra.GetProperty(environment).GetProperty(key))
            .Where(value => value.ValueKind == JsonValueKind.String)
            .Select(value => value.GetString()!)
            .Concat(objects.OfType<V1Secret>().Select(s => s.Metadata.Name))
            .ToHashSet(StringComparer.Ordinal);

        var read = Pods(objects).SelectMany(SecretsOf).Distinct().ToList();

        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.True(declared.Contains(name), $"{environment} reads Secret '{name}', which infra/ does not create (it creates {string.Join(", ", declared)})"));
    }

    [Theory]
    [MemberData(nameof(InfraEnvironments))]
    public async Task Every_pod_fits_the_quota_infra_sets(string environment)
    {
        var objects = await toolchain.Chart.ObjectsAsync(4, environment);
        var quota = Infra.GetProperty(environment);
        var deployment = objects.OfType<V1Deployment>().Single();
        var hpa = objects.OfType<V2HorizontalPodAutoscaler>().SingleOrDefault();
        // At most maxReplicas app pods, one more while a rollout surges, and the test pods of a helm test.
        var appPods = (hpa?.Spec.MaxReplicas ?? deployment.Spec.Replicas ?? 1) + 1;
        var testPods = objects.OfType<V1Pod>().ToList();
        var containers = deployment.Spec.Template.Spec.Containers.Concat(deployment.Spec.Template.Spec.InitContainers ?? []).Concat(testPods.SelectMany(p => p.Spec.Containers)).ToList();

        Assert.All(containers, c =>
        {
            Assert.True(c.Resources?.Requests?.ContainsKey("cpu") == true, $"{c.Name} has no CPU request: the quota on requests.cpu rejects it");
            Assert.True(c.Resources?.Requests?.ContainsKey("memory") == true, $"{c.Name} has no memory request");
            Assert.True(c.Resources?.Limits?.ContainsKey("memory") == true, $"{c.Name} has no memory limit: the quota on limits.memory rejects it");
        });

        decimal Sum(string kind, string resource) =>
            (appPods * deployment.Spec.Template.Spec.Containers.Sum(c => Amount(c.Resources, kind, resource)))
            + testPods.Sum(p => p.Spec.Containers.Sum(c => Amount(c.Resources, kind, resource)));

        Assert.True(Sum("requests", "cpu") <= new ResourceQuantity(quota.GetProperty("requests_cpu").GetString()).ToDecimal(), $"{environment}: CPU requests exceed the quota");
        Assert.True(Sum("requests", "memory") <= new ResourceQuantity(quota.GetProperty("requests_memory").GetString()).ToDecimal(), $"{environment}: memory requests exceed the quota");
        Assert.True(Sum("limits", "memory") <= new ResourceQuantity(quota.GetProperty("limits_memory").GetString()).ToDecimal(), $"{environment}: memory limits exceed the quota");
    }

    private static decimal Amount(V1ResourceRequirements? resources, string kind, string resource)
    {
        var map = kind == "requests" ? resources?.Requests : resources?.Limits;
        return map is not null && map.TryGetValue(resource, out var quantity) ? quantity.ToDecimal() : 0;
    }

    private static IEnumerable<V1PodSpec> Pods(IReadOnlyList<object> objects)
        => objects.OfType<V1Deployment>().Select(d => d.Spec.Template.Spec).Concat(objects.OfType<V1Pod>().Select(p => p.Spec));

    private static IEnumerable<string> SecretsOf(V1PodSpec pod)
        => (pod.Volumes ?? []).Where(v => v.Secret is not null).Select(v => v.Secret.SecretName)
            .Concat(pod.Containers.Concat(pod.InitContainers ?? []).SelectMany(c => c.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Name))
            .Concat(pod.Containers.SelectMany(c => c.EnvFrom ?? []).Where(e => e.SecretRef is not null).Select(e => e.SecretRef.Name));

    private static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels)
        => selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
