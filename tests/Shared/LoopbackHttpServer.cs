using System.Net;
using TypedBuild;

namespace Tests.Shared;

/// <summary>
/// An HTTP server on a free 127.0.0.1 port for tests (compiled into each test project that needs one): every request
/// goes to <c>respond</c>, and its response is closed after it. A client that gives up mid-answer does not end the
/// loop; closing the server does.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _respond;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> respond)
    {
        _respond = respond;
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

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

            try
            {
                await _respond(context);
                context.Response.Close();
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client gave up on this request (a wait that timed out cancels it), or Dispose closed the listener
                // mid-answer; neither is the test's concern.
            }
        }
    }
}
