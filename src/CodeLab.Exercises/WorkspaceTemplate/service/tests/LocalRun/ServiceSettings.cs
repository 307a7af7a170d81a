using System.Text.Json;

namespace LocalRun;

/// <summary>
/// What the exercise's service needs (tests/LocalRun/service.json, written by CodeLab): whether it uses Redis and the
/// test doubles, its health path, and its environment variables, where {redis} stands for Redis's host:port and
/// {fakes} for the host:port of the test doubles the tests start.
/// </summary>
internal sealed record ServiceSettings(bool Redis, bool UsesFakes, string ReadyPath, IReadOnlyDictionary<string, string> Environment)
{
    public static ServiceSettings Read(string path) =>
        JsonSerializer.Deserialize<ServiceSettings>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
        ?? throw new InvalidOperationException($"{path} is empty: write the workspace again with `codelab init`.");
}
