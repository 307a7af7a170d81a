using System.Net;
using System.Net.Sockets;

namespace LocalRun;

internal static class Ports
{
    /// <summary>
    /// A port the system picks: not a fixed one (8080), which two runs started together (two workspaces, or an IDE's
    /// run beside a terminal's) would both find free, because a service binds it only after its build.
    /// </summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return chosen;
    }
}
