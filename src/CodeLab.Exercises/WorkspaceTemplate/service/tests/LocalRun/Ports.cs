using System.Net;
using System.Net.Sockets;

namespace LocalRun;

internal static class Ports
{
    /// <summary><paramref name="preferred"/> when nothing listens on it, else a port the system picks.</summary>
    public static int Free(int preferred) => TryListen(preferred) ?? TryListen(0)!.Value;

    static int? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            var chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return chosen;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
