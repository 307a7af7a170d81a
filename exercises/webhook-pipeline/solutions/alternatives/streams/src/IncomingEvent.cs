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
            if (Text(root, "id") is not { } id || Text(root, "type") is not { } type || Text(root, "account") is not { } account) return null;
            if (!root.TryGetProperty("sequence", out var s) || s.ValueKind != JsonValueKind.Number || !IsInteger(s.GetRawText()) || !s.TryGetInt64(out var sequence) || sequence < 0)
                return null;
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

    // 7, not 7.0 or 7e0: TryGetInt64 alone accepts neither, but says so only for some spellings.
    static bool IsInteger(string raw) => raw.All(c => char.IsAsciiDigit(c) || c == '-');
}
