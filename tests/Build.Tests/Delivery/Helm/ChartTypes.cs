using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// Extra apiVersion/kind → typed model entries for strict loading, merged by KubernetesClient into its built-in map.
/// The built-in models cover every kind the chart renders except the Prometheus Operator's ServiceMonitor, which
/// gets the small typed model below (only the fields the chart uses, so a misspelt field still fails the load).
/// </summary>
internal static class ChartTypes
{
    public static IDictionary<string, Type> Map { get; } = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
    };
}

internal sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ServiceMonitor";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}

internal sealed class ServiceMonitorSpec
{
    [JsonPropertyName("namespaceSelector")]
    public ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

internal sealed class ServiceMonitorNamespaceSelector
{
    [JsonPropertyName("matchNames")]
    public List<string> MatchNames { get; set; } = [];
}

internal sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("scrapeTimeout")]
    public string? ScrapeTimeout { get; set; }
}
