using System.Buffers.Binary;
using System.Text;

namespace CodeLab.Sandbox.Engine;

/// <summary>
/// Docker's attach endpoint upgrades the HTTP connection to a raw duplex stream: our writes become the
/// container's stdin, and its stdout/stderr come back multiplexed in frames (8-byte header: stream id,
/// three zero bytes, big-endian length). HttpClient cannot hand over an upgraded connection, so this
/// speaks the few lines of HTTP/1.1 itself.
/// </summary>
internal sealed class HijackedAttachment : IContainerAttachment
{
    readonly Stream stream;
    readonly System.Net.Sockets.Socket? socket;
    readonly byte[] header = new byte[8];
    byte[] pending;  // bytes read past the HTTP headers, consumed before reading the stream again
    int pendingOffset;

    HijackedAttachment(Stream stream, byte[] pending)
    {
        this.stream = stream;
        socket = (stream as System.Net.Sockets.NetworkStream)?.Socket;
        this.pending = pending;
    }

    public static async Task<HijackedAttachment> OpenAsync(string socketPath, string pathAndQuery, CancellationToken cancellationToken)
    {
        var stream = await DockerEngine.ConnectAsync(socketPath, cancellationToken);
        try
        {
            var request = $"POST {pathAndQuery} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
            var (statusLine, rest) = await ReadResponseHeadAsync(stream, cancellationToken);
            if (!statusLine.Contains(" 101 ", StringComparison.Ordinal) && !statusLine.Contains(" 200 ", StringComparison.Ordinal))
                throw new ContainerEngineException($"Docker engine refused attach: {statusLine}");
            return new HijackedAttachment(stream, rest);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    static async Task<(string StatusLine, byte[] Remainder)> ReadResponseHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length) throw new ContainerEngineException("Docker engine sent an oversized attach response");
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0) throw new ContainerEngineException("Docker engine closed the attach connection");
            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end < 0) continue;
            var head = Encoding.ASCII.GetString(buffer, 0, end);
            var statusLine = head.Split("\r\n")[0];
            return (statusLine, buffer[(end + 4)..filled]);
        }
    }

    public async Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        await stream.WriteAsync(data, cancellationToken);

    public void CloseStdin()
    {
        try { socket?.Shutdown(System.Net.Sockets.SocketShutdown.Send); }
        catch (System.Net.Sockets.SocketException) { /* the container already went away */ }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask<OutputFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(header, cancellationToken)) return null;
        var kind = header[0] == 2 ? OutputStream.Stderr : OutputStream.Stdout;
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        var data = new byte[length];
        if (!await ReadExactlyOrEndAsync(data, cancellationToken)) return null;
        return new OutputFrame(kind, data);
    }

    async ValueTask<bool> ReadExactlyOrEndAsync(byte[] target, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < target.Length && pendingOffset < pending.Length)
            target[filled++] = pending[pendingOffset++];
        while (filled < target.Length)
        {
            int read;
            try { read = await stream.ReadAsync(target.AsMemory(filled), cancellationToken); }
            catch (IOException) { return false; }
            if (read == 0) return false;
            filled += read;
        }
        if (pendingOffset == pending.Length && pending.Length > 0) { pending = []; pendingOffset = 0; }
        return true;
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
