using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Quality.Fixtures;

public static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
