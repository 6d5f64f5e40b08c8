using ExampleService.Build.Delivery.Helm;
using k8s;
using k8s.Models;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart as Helm 3 and Helm 4 lint and render it for every environment: every manifest loads strictly into the
/// KubernetesClient models and passes the Kubernetes OpenAPI schemas (kubernetes-models), and the rendered
/// resources have the shape the delivery issue asks for.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class ChartRenderingTests(HelmToolchain toolchain)
{
    private RenderedChart Chart => toolchain.Chart;

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentsByMajor), MemberType = typeof(RenderedChart))]
    public async Task Lints_strictly_with_every_environments_values(int major, string environment)
    {
        var result = await toolchain.RunHelmAsync(major, HelmCommandBuilder.Lint(HelmToolchain.ChartDirectory, RenderedChart.ValuesFile(environment)), allowFailure: true);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Empty(ChartLint.Problems(result, "charts/example-service", $"values-{environment}.yaml"));
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentsByMajor), MemberType = typeof(RenderedChart))]
    public async Task Every_rendered_manifest_loads_strictly_into_the_typed_models(int major, string environment)
    {
        var objects = await Chart.ObjectsAsync(major, environment);

        Assert.Contains(objects, o => o is V1Deployment);
        Assert.Contains(objects, o => o is V1Service);
        Assert.All(objects, o => Assert.Equal(RenderedChart.Namespace, ((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty));
    }

    private static readonly (string Name, string Environment, KeyValuePair<string, string>[] Values)[] OptionalRenders =
    [
        ("prod-ingress", "prod", [new("exposure.type", "ingress"), new("ingress.className", "cluster-ingress")]),
        ("kind-ingress", "kind", [new("exposure.type", "ingress"), new("exposure.host", "example-service.kind.local")]),
        ("prod-service-monitor", "prod", [new("metrics.serviceMonitor.enabled", "true")]),
    ];

    [Fact]
    public async Task Every_rendered_manifest_passes_the_kubernetes_schemas()
    {
        var files = new List<string>();
        var directory = Directory.CreateTempSubdirectory("chart-renders-").FullName;
        foreach (var major in RenderedChart.Majors)
        {
            foreach (var environment in RenderedChart.Environments)
            {
                var file = Path.Combine(directory, $"helm{major}-{environment}.yaml");
                await File.WriteAllTextAsync(file, await Chart.YamlAsync(major, environment));
                files.Add(file);
            }

            // The exposures and resources no environment file turns on: the Ingress (with cert-manager TLS) and the ServiceMonitor.
            foreach (var (name, environment, values) in OptionalRenders)
            {
                var rendered = await toolchain.RunHelmAsync(major, HelmCommandBuilder.Template(
                    RenderedChart.Release, HelmToolchain.ChartDirectory, RenderedChart.Namespace, RenderedChart.ValuesFile(environment),
                    [.. RenderedChart.ImageValues, .. values]));
                var file = Path.Combine(directory, $"helm{major}-{name}.yaml");
                await File.WriteAllTextAsync(file, rendered.StandardOutput);
                files.Add(file);
            }
        }

        var result = await Validate(files);

        Assert.True(result.ExitCode == 0, result.StandardOutput);
        Assert.DoesNotContain("FAIL", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"^\d+ passed, 0 failed", result.StandardOutput.Split('\n')[^1]);
    }

    [Fact]
    public async Task The_schema_validation_rejects_a_wrong_enum_value_that_the_typed_models_accept()
    {
        var yaml = (await Chart.YamlAsync(4, "dev")).Replace("type: ClusterIP", "type: ClusterIp", StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("chart-mutation-").FullName, "mutated.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var result = await Validate([file]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL Service/example-service: /spec/type must be equal to one of the allowed values", result.StandardOutput, StringComparison.Ordinal);
        Assert.NotEmpty(KubernetesYaml.LoadAllFromString(yaml, ChartTypes.Map, strict: true));
    }

    [Fact]
    public async Task The_strict_load_rejects_an_unknown_field()
    {
        var yaml = (await Chart.YamlAsync(4, "dev")).Replace("imagePullPolicy:", "imagePulPolicy:", StringComparison.Ordinal);

        var error = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, ChartTypes.Map, strict: true));
        Assert.Contains("imagePulPolicy", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task The_pod_runs_the_pushed_digest_hardened_and_probed(string environment)
    {
        var deployment = await Chart.SingleAsync<V1Deployment>(environment);
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal(HelmRelease.ChartName, container.Name);
        Assert.Equal($"{RenderedChart.Repository}@{RenderedChart.Digest}", container.Image);
        Assert.Equal(new HelmRelease(RenderedChart.Release, RenderedChart.Namespace, "any").DeploymentName, deployment.Metadata.Name);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("/health/startup", container.StartupProbe.HttpGet.Path);
        Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.All([container.StartupProbe, container.LivenessProbe, container.ReadinessProbe], probe => Assert.Equal("management", probe.HttpGet.Port.Value));
        Assert.NotNull(container.Resources.Requests["memory"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task The_service_configuration_uses_the_names_the_service_binds(string environment)
    {
        var container = (await Chart.SingleAsync<V1Deployment>(environment)).Spec.Template.Spec.Containers[0];
        var env = container.Env.ToDictionary(e => e.Name);

        Assert.Equal("8080;8081", env["ASPNETCORE_HTTP_PORTS"].Value);
        Assert.Equal("8081", env["Management__Port"].Value);
        Assert.Equal("/app/data", env["Database__DataDirectory"].Value);
        Assert.NotNull(env["Database__ConnectionString"].ValueFrom.SecretKeyRef);
        Assert.Matches("^(Sqlite|Postgres)$", env["Database__Provider"].Value);
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task The_api_service_routes_only_the_api_and_only_monitoring_reaches_the_management_port(string environment)
    {
        var objects = await Chart.ObjectsAsync(4, environment);
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        var policy = Assert.Single(objects.OfType<V1NetworkPolicy>());

        Assert.Equal(["http"], services[RenderedChart.Release].Spec.Ports.Select(p => p.TargetPort.Value));
        Assert.Equal(["management"], services[$"{RenderedChart.Release}-management"].Spec.Ports.Select(p => p.TargetPort.Value));
        var management = Assert.Single(policy.Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value == "management"));
        Assert.Equal("management", Assert.Single(management.Ports).Port.Value);
        var peer = Assert.Single(management.FromProperty);
        Assert.Equal("monitoring", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Null(peer.PodSelector);
        Assert.DoesNotContain(policy.Spec.Ingress, rule => rule != management && rule.Ports.Any(p => p.Port.Value == "management"));
    }

    [Theory]
    [InlineData("dev", "Authentication__ApiKeysFile")]
    [InlineData("staging", "Authentication__Authority")]
    [InlineData("prod", "Authentication__Authority")]
    [InlineData("kind", "Authentication__DeveloperMode")]
    public async Task Every_environment_configures_credentials_and_only_kind_is_in_developer_mode(string environment, string setting)
    {
        var env = (await Chart.SingleAsync<V1Deployment>(environment)).Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name);

        Assert.Contains(setting, env.Keys);
        Assert.Equal(environment == "kind", env.ContainsKey("Authentication__DeveloperMode"));
    }

    [Fact]
    public async Task Prod_autoscales_keeps_two_pods_through_disruptions_and_only_lets_the_ingress_controller_in()
    {
        var objects = await Chart.ObjectsAsync(4, "prod");
        var hpa = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>());
        var pdb = Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        var policy = Assert.Single(objects.OfType<V1NetworkPolicy>());
        var deployment = Assert.Single(objects.OfType<V1Deployment>());

        Assert.Null(deployment.Spec.Replicas);
        Assert.Equal((3, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal("2", pdb.Spec.MinAvailable.Value);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        Assert.DoesNotContain(policy.Spec.Ingress, rule => rule.FromProperty is null or { Count: 0 });
        Assert.Equal("example-service-postgres", deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "Database__ConnectionString").ValueFrom.SecretKeyRef.Name);
    }

    [Theory]
    [InlineData("staging", "example-service.staging.example.com", "letsencrypt-staging")]
    [InlineData("prod", "example-service.example.com", "letsencrypt-prod")]
    public async Task Staging_and_prod_serve_https_through_the_gateway_with_a_cert_manager_certificate_and_redirect_http(
        string environment, string host, string issuer)
    {
        var objects = await Chart.ObjectsAsync(4, environment);
        var gateway = Assert.Single(objects.OfType<Gateway>());
        var routes = objects.OfType<HttpRoute>().ToDictionary(r => r.Metadata.Name);
        var certificate = Assert.Single(objects.OfType<Certificate>());

        Assert.DoesNotContain(objects, o => o is V1Ingress);
        var https = Assert.Single(gateway.Spec.Listeners, l => l.Protocol == "HTTPS");
        Assert.Equal((443, host), (https.Port, https.Hostname));
        Assert.Equal(certificate.Spec.SecretName, Assert.Single(https.Tls!.CertificateRefs).Name);
        Assert.Equal([host], certificate.Spec.DnsNames);
        Assert.Equal(("ClusterIssuer", issuer), (certificate.Spec.IssuerRef.Kind, certificate.Spec.IssuerRef.Name));

        var api = routes[RenderedChart.Release];
        Assert.Equal("https", Assert.Single(api.Spec.ParentRefs).SectionName);
        Assert.Equal([host], api.Spec.Hostnames);
        var backend = Assert.Single(Assert.Single(api.Spec.Rules).BackendRefs!);
        Assert.Equal((RenderedChart.Release, 80), (backend.Name, backend.Port));
        var redirect = routes[$"{RenderedChart.Release}-https-redirect"];
        Assert.Equal("http", Assert.Single(redirect.Spec.ParentRefs).SectionName);
        var filter = Assert.Single(Assert.Single(redirect.Spec.Rules).Filters!);
        Assert.Equal(("RequestRedirect", "https", 301), (filter.Type, filter.RequestRedirect!.Scheme, filter.RequestRedirect.StatusCode));
        Assert.Null(Assert.Single(redirect.Spec.Rules).BackendRefs);
    }

    [Fact]
    public async Task The_class_neutral_ingress_serves_tls_from_a_self_signed_issuer_on_kind()
    {
        var result = await toolchain.RunHelmAsync(4, HelmCommandBuilder.Template(
            RenderedChart.Release, HelmToolchain.ChartDirectory, RenderedChart.Namespace, RenderedChart.ValuesFile("kind"),
            [.. RenderedChart.ImageValues, new("exposure.type", "ingress"), new("exposure.host", "example-service.kind.local")]));
        var objects = KubernetesYaml.LoadAllFromString(result.StandardOutput, ChartTypes.Map, strict: true);

        var ingress = Assert.Single(objects.OfType<V1Ingress>());
        var certificate = Assert.Single(objects.OfType<Certificate>());
        var issuer = Assert.Single(objects.OfType<Issuer>());
        Assert.Null(ingress.Spec.IngressClassName);
        Assert.Empty(ingress.Metadata.Annotations?.Keys.Where(k => k.Contains("nginx", StringComparison.Ordinal)) ?? []);
        Assert.Equal(certificate.Spec.SecretName, Assert.Single(ingress.Spec.Tls).SecretName);
        Assert.Equal(("Issuer", issuer.Metadata.Name), (certificate.Spec.IssuerRef.Kind, certificate.Spec.IssuerRef.Name));
        Assert.NotNull(issuer.Spec.SelfSigned);
        Assert.DoesNotContain(objects, o => o is Gateway or HttpRoute);
    }

    [Theory]
    [MemberData(nameof(RenderedChart.EnvironmentNames), MemberType = typeof(RenderedChart))]
    public async Task Helm_test_hooks_check_readiness_and_a_create_read_delete_round_trip(string environment)
    {
        var pods = (await Chart.ObjectsAsync(4, environment)).OfType<V1Pod>().ToList();

        Assert.Equal(2, pods.Count);
        Assert.All(pods, pod => Assert.Equal("test", pod.Metadata.Annotations["helm.sh/hook"]));
        var script = string.Join('\n', pods.SelectMany(p => p.Spec.Containers[0].Args));
        Assert.Contains("/api/v1/users?pageSize=1", script, StringComparison.Ordinal);
        Assert.Equal(environment != "kind", script.Contains("expected 401", StringComparison.Ordinal));
        // Staging and prod hold real data: their hooks only read.
        var readOnly = environment is "staging" or "prod";
        Assert.Equal(!readOnly, script.Contains("-X POST", StringComparison.Ordinal));
        Assert.Equal(!readOnly, script.Contains("-X DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_service_monitor_loads_into_its_typed_model_when_enabled()
    {
        var result = await toolchain.RunHelmAsync(4, HelmCommandBuilder.Template(
            RenderedChart.Release, HelmToolchain.ChartDirectory, RenderedChart.Namespace, RenderedChart.ValuesFile("prod"),
            [.. RenderedChart.ImageValues, new("metrics.serviceMonitor.enabled", "true")]));

        var monitor = Assert.Single(KubernetesYaml.LoadAllFromString(result.StandardOutput, ChartTypes.Map, strict: true).OfType<ServiceMonitor>());
        Assert.Equal("/metrics", Assert.Single(monitor.Spec.Endpoints).Path);
        Assert.Equal("management", Assert.Single(monitor.Spec.Endpoints).Port);
        Assert.Equal("management", monitor.Spec.Selector.MatchLabels["app.kubernetes.io/component"]);
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
    }

    [Theory]
    [InlineData("database.provider=Postgres", "database.provider is Postgres")]
    [InlineData("autoscaling.enabled=true,autoscaling.minReplicas=5,autoscaling.maxReplicas=2", "must not exceed")]
    [InlineData("replicaCount=-1", "replicaCount")]
    [InlineData("auth.apiKeys.existingSecret=", "authentication is off")]
    [InlineData("gateway.className=", "exposure.type gateway needs gateway.className")]
    [InlineData("tls.enabled=true", "tls.enabled needs a cert-manager issuer")]
    [InlineData("auth.developerMode=true", "auth.developerMode lets anyone read and write users and is refused in environment \"Dev\"")]
    [InlineData("auth.jwt.authority=http://issuer.example.com,auth.jwt.audience=a", "authority")]
    public async Task Bad_values_fail_the_render_with_what_to_change(string values, string expected)
    {
        var pairs = values.Split(',').Select(v => v.Split('=')).Select(p => new KeyValuePair<string, string>(p[0], p[1]));
        var result = await toolchain.RunHelmAsync(
            3,
            HelmCommandBuilder.Template(RenderedChart.Release, HelmToolchain.ChartDirectory, RenderedChart.Namespace, RenderedChart.ValuesFile("dev"), pairs),
            allowFailure: true);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    private Task<ProcessResult> Validate(IReadOnlyList<string> files) =>
        new TestProcessRunner().RunAsync(
            "node",
            [toolchain.ValidateScript, "--modules", toolchain.NpmToolsDirectory, .. files],
            new ProcessOptions { AllowNonZeroExitCode = true });
}
