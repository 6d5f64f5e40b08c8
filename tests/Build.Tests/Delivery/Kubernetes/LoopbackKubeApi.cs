using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Tests.Shared;

namespace ExampleService.Build.Tests.Delivery.Kubernetes;

/// <summary>
/// A stand-in Kubernetes API server on 127.0.0.1 that answers GETs with recorded API responses (Fixtures/*.json),
/// so the real KubernetesClient (and KubeCluster's kubeconfig handling) talk HTTP to it. A path given several
/// responses serves them in turn and then repeats the last, like a rollout observed over time.
/// </summary>
public sealed class LoopbackKubeApi : IAsyncDisposable
{
    public const string Context = "loopback";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _responses = new(StringComparer.Ordinal);
    private readonly LoopbackHttpServer _server;

    public LoopbackKubeApi()
    {
        _server = new LoopbackHttpServer(RespondAsync);
        Serve("/version", "version.json");
        var directory = Directory.CreateTempSubdirectory("loopback-kubeconfig-").FullName;
        Kubeconfig = Path.Combine(directory, "config");
        File.WriteAllText(Kubeconfig, KubeconfigFor(Context, Server));
    }

    public int Port => _server.Port;

    public string Server => $"http://127.0.0.1:{Port}";

    /// <summary>A kubeconfig whose context <see cref="Context"/> points at this server.</summary>
    public string Kubeconfig { get; }

    /// <summary>Every request received, path and query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Delivery", "Kubernetes", "Fixtures", name);

    public static string KubeconfigFor(string context, string server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
          - name: {context}
            cluster:
              server: {server}
        users:
          - name: {context}
            user:
              token: loopback-token
        contexts:
          - name: {context}
            context:
              cluster: {context}
              user: {context}
        current-context: {context}
        """;

    /// <summary>Answers GET <paramref name="path"/> with these fixtures in turn, then the last one for ever.</summary>
    public void Serve(string path, params string[] fixtures) =>
        _responses[path] = new ConcurrentQueue<string>(fixtures.Select(f => File.ReadAllText(FixturePath(f))));

    /// <summary>The deployment and pod-list paths of a deployment in a namespace.</summary>
    public void ServeRollout(string @namespace, string deployment, IReadOnlyList<string> deployments, IReadOnlyList<string> pods)
    {
        Serve($"/apis/apps/v1/namespaces/{@namespace}/deployments/{deployment}", [.. deployments]);
        Serve($"/api/v1/namespaces/{@namespace}/pods", [.. pods]);
    }

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        Directory.Delete(Path.GetDirectoryName(Kubeconfig)!, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
        Requests.Enqueue(context.Request.Url.PathAndQuery);
        var (status, body) = _responses.TryGetValue(path, out var queue) && Next(queue) is { } json
            ? (200, json)
            : (404, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{path}} not found","reason":"NotFound","code":404}""");
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private static string? Next(ConcurrentQueue<string> queue)
    {
        if (queue.Count > 1 && queue.TryDequeue(out var first))
        {
            return first;
        }

        return queue.TryPeek(out var last) ? last : null;
    }
}
