using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// Extra apiVersion/kind → typed model entries for strict loading, merged by KubernetesClient into its built-in map.
/// The built-in models cover the core kinds; the custom resources the chart renders (Prometheus Operator's
/// ServiceMonitor, Gateway API's Gateway and HTTPRoute, cert-manager's Certificate and Issuer) get the small typed
/// models below (only the fields the chart uses, so a misspelt field still fails the load).
/// </summary>
internal static class ChartTypes
{
    public static IDictionary<string, Type> Map { get; } = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["gateway.networking.k8s.io/v1/Gateway"] = typeof(Gateway),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRoute),
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["cert-manager.io/v1/Issuer"] = typeof(Issuer),
    };
}

/// <summary>A custom resource: apiVersion, kind, metadata and a typed spec.</summary>
internal abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}

internal sealed class Gateway : CustomResource<GatewaySpec>;

internal sealed class GatewaySpec
{
    [JsonPropertyName("gatewayClassName")]
    public string GatewayClassName { get; set; } = "";

    [JsonPropertyName("listeners")]
    public List<GatewayListener> Listeners { get; set; } = [];
}

internal sealed class GatewayListener
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("protocol")]
    public string Protocol { get; set; } = "";

    [JsonPropertyName("port")]
    public int Port { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("tls")]
    public GatewayTls? Tls { get; set; }

    [JsonPropertyName("allowedRoutes")]
    public GatewayAllowedRoutes? AllowedRoutes { get; set; }
}

internal sealed class GatewayTls
{
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("certificateRefs")]
    public List<ObjectReference> CertificateRefs { get; set; } = [];
}

internal sealed class GatewayAllowedRoutes
{
    [JsonPropertyName("namespaces")]
    public GatewayRouteNamespaces? Namespaces { get; set; }
}

internal sealed class GatewayRouteNamespaces
{
    [JsonPropertyName("from")]
    public string? From { get; set; }
}

internal sealed class ObjectReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("sectionName")]
    public string? SectionName { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}

internal sealed class HttpRoute : CustomResource<HttpRouteSpec>;

internal sealed class HttpRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public List<ObjectReference> ParentRefs { get; set; } = [];

    [JsonPropertyName("hostnames")]
    public List<string> Hostnames { get; set; } = [];

    [JsonPropertyName("rules")]
    public List<HttpRouteRule> Rules { get; set; } = [];
}

internal sealed class HttpRouteRule
{
    [JsonPropertyName("matches")]
    public List<HttpRouteMatch>? Matches { get; set; }

    [JsonPropertyName("filters")]
    public List<HttpRouteFilter>? Filters { get; set; }

    [JsonPropertyName("backendRefs")]
    public List<ObjectReference>? BackendRefs { get; set; }
}

internal sealed class HttpRouteMatch
{
    [JsonPropertyName("path")]
    public HttpPathMatch? Path { get; set; }
}

internal sealed class HttpPathMatch
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

internal sealed class HttpRouteFilter
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("requestRedirect")]
    public HttpRequestRedirect? RequestRedirect { get; set; }
}

internal sealed class HttpRequestRedirect
{
    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }

    [JsonPropertyName("statusCode")]
    public int? StatusCode { get; set; }
}

internal sealed class Certificate : CustomResource<CertificateSpec>;

internal sealed class CertificateSpec
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = "";

    [JsonPropertyName("dnsNames")]
    public List<string> DnsNames { get; set; } = [];

    [JsonPropertyName("issuerRef")]
    public ObjectReference IssuerRef { get; set; } = new();
}

internal sealed class Issuer : CustomResource<IssuerSpec>;

internal sealed class IssuerSpec
{
    [JsonPropertyName("selfSigned")]
    public Dictionary<string, object>? SelfSigned { get; set; }
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
