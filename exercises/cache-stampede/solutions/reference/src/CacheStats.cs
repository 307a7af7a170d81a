/// <summary>Hits and misses of GET /products/{id} on this instance since it started.</summary>
sealed class CacheStats
{
    long hits;
    long misses;

    public void Hit() => Interlocked.Increment(ref hits);

    public void Miss() => Interlocked.Increment(ref misses);

    public object Snapshot()
    {
        var (h, m) = (Interlocked.Read(ref hits), Interlocked.Read(ref misses));
        return new { hits = h, misses = m, hitRate = h + m == 0 ? 0.0 : (double)h / (h + m) };
    }
}
