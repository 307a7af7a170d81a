using Docker.DotNet;

namespace CodeLab.Sandbox.Engine;

/// <summary>
/// A live attach over Docker.DotNet's hijacked stream: our writes are the container's stdin, and reads return its
/// stdout/stderr in chunks of the engine's frames (a frame may arrive in several chunks; callers split lines
/// themselves). <see cref="CloseStdin"/> half-closes the socket, so the process sees end of input while its output
/// still flows back.
/// </summary>
internal sealed class DockerAttachment(MultiplexedStream stream) : IContainerAttachment
{
    const int ChunkBytes = 16 * 1024;
    readonly byte[] buffer = new byte[ChunkBytes];

    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        // MultiplexedStream writes arrays only; the caller's input is usually one array already.
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken)
            : stream.WriteAsync(data.ToArray(), 0, data.Length, cancellationToken);

    public void CloseStdin()
    {
        try { stream.CloseWrite(); }
        catch (System.Net.Sockets.SocketException) { /* the container already went away */ }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask<OutputFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        MultiplexedStream.ReadResult read;
        try
        {
            read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A frame cut short (EndOfStreamException) or the connection reset: the output has ended.
            return null;
        }
        if (read.EOF) return null;
        var kind = read.Target == MultiplexedStream.TargetStream.StandardError ? OutputStream.Stderr : OutputStream.Stdout;
        return new OutputFrame(kind, buffer.AsSpan(0, read.Count).ToArray());
    }

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
