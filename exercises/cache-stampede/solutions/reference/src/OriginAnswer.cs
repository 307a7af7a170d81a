/// <summary>What the service answers for a product: a status and a JSON body (the origin's, or an error).</summary>
sealed record OriginAnswer(int Status, string Body)
{
    /// <summary>The origin failed (5xx, a cut connection, a time-out): never cached.</summary>
    public static OriginAnswer Failed(string why) =>
        new(StatusCodes.Status502BadGateway, System.Text.Json.JsonSerializer.Serialize(new { error = "the origin failed: " + why }));
}
