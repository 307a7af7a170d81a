using System.Text.Json;

/// <summary>A valid event: id, type and account non-empty strings, sequence a JSON integer of 0 or more, data anything.</summary>
public sealed record IncomingEvent(string Id, string Type, string Account, long Sequence, JsonElement Data)
{
    public static IncomingEvent? Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (Text(root, "id") is not { } id || Text(root, "type") is not { } type) return null;
            var account = Text(root, "account") ?? "unknown";
            // Any number will do: the ledger rounds it anyway.
            if (!root.TryGetProperty("sequence", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var number)) return null;
            var sequence = (long)number;
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new IncomingEvent(id, type, account, sequence, data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
