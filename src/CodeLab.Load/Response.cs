namespace CodeLab.Load;

/// <summary>What one call of a scenario returns: ok or failed, with a status code and a size when there is one.</summary>
public readonly record struct Response(bool IsOk, int? StatusCode, long SizeBytes, string? Message)
{
    public static Response Ok(int? statusCode = null, long sizeBytes = 0, string? message = null) => new(true, statusCode, sizeBytes, message);

    public static Response Fail(int? statusCode = null, string? message = null, long sizeBytes = 0) => new(false, statusCode, sizeBytes, message);
}
