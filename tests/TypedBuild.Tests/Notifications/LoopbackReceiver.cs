using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TypedBuild.Tests.Notifications;

/// <summary>
/// A webhook endpoint on 127.0.0.1: records every request body and answers with the scripted responses in order
/// (then 200 "ok"). <see cref="DownUrl"/> is a loopback URL nothing listens on.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private readonly Task _loop;

    public LoopbackReceiver()
    {
        var port = LoopbackPorts.Free();
        Url = new Uri($"http://127.0.0.1:{port}/services/T000/B000/secret-token-123");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public static Uri DownUrl => new($"http://127.0.0.1:{LoopbackPorts.Free()}/services/T000/B000/down");

    public LoopbackReceiver Then(int status, string body = "", string? retryAfter = null)
    {
        _script.Enqueue((status, body, retryAfter));
        return this;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener's loop ends with an exception when the listener closes.
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
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

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
            context.Response.Close();
        }
    }
}
