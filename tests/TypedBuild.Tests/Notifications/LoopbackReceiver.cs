using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Tests.Shared;

namespace TypedBuild.Tests.Notifications;

/// <summary>
/// A webhook endpoint on 127.0.0.1: records every request body and answers with the scripted responses in order
/// (then 200 "ok"). <see cref="DownUrl"/> is a loopback URL nothing listens on.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private readonly LoopbackHttpServer _server;

    public LoopbackReceiver()
    {
        _server = new LoopbackHttpServer(RespondAsync);
        Url = new Uri($"http://127.0.0.1:{_server.Port}/services/T000/B000/secret-token-123");
    }

    public Uri Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public static Uri DownUrl => new($"http://127.0.0.1:{LoopbackPorts.Free()}/services/T000/B000/down");

    public LoopbackReceiver Then(int status, string body = "", string? retryAfter = null)
    {
        _script.Enqueue((status, body, retryAfter));
        return this;
    }

    public void Dispose() => _server.Dispose();

    private async Task RespondAsync(HttpListenerContext context)
    {
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            Bodies.Enqueue(await reader.ReadToEndAsync());
        }

        var (status, body, retryAfter) = _script.TryDequeue(out var scripted) ? scripted : (200, "ok", null);
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.AddHeader("Retry-After", retryAfter);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
