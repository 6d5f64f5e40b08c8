using System.Collections.Concurrent;
using System.Net;
using System.Text;
using TypedBuild;

namespace ExampleService.Build.Tests.Delivery.Kubernetes;

/// <summary>
/// A stand-in Kubernetes API server on 127.0.0.1 that answers GETs with recorded API responses (Fixtures/*.json),
/// so the real KubernetesClient (and KubeCluster's kubeconfig handling) talk HTTP to it. A path given several
/// responses serves them in turn and then repeats the last, like a rollout observed over time.
/// </summary>
public sealed class LoopbackKubeApi : IAsyncDisposable
{
    public const string Context = "loopback";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _responses = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public LoopbackKubeApi()
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
        Serve("/version", "version.json");
        var directory = Directory.CreateTempSubdirectory("loopback-kubeconfig-").FullName;
        Kubeconfig = Path.Combine(directory, "config");
        File.WriteAllText(Kubeconfig, KubeconfigFor(Context, Server));
    }

    public int Port { get; }

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

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        Directory.Delete(Path.GetDirectoryName(Kubeconfig)!, recursive: true);
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
            Requests.Enqueue(context.Request.Url.PathAndQuery);
            var (status, body) = _responses.TryGetValue(path, out var queue) && Next(queue) is { } json
                ? (200, json)
                : (404, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{path}} not found","reason":"NotFound","code":404}""");
            try
            {
                await RespondAsync(context.Response, status, body);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client gave up on this request (a wait that timed out cancels it), or DisposeAsync closed the
                // listener mid-answer, which marks the response as sent; neither is the test's concern.
            }
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
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
