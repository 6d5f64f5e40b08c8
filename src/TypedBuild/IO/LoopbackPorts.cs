using System.Net;
using System.Net.Sockets;

namespace TypedBuild;

/// <summary>Ports for servers a build starts on 127.0.0.1 only.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now: bound on 127.0.0.1, read and released.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
