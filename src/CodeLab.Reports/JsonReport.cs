using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeLab.Reports;

public static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Render(GradeReport report) => JsonSerializer.Serialize(report, Options);

    public static GradeReport Parse(string json) =>
        JsonSerializer.Deserialize<GradeReport>(json, Options) ?? throw new JsonException("empty report");
}
