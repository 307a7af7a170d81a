namespace CodeLab.Judge;

/// <summary>
/// The names the grader gives the judge container (environment variables). Defaults match what the grader
/// sets, so a hidden test reads naturally: <c>Service.Client.PostAsync("/payments", ...)</c>.
/// </summary>
public static class JudgeEnvironment
{
    /// <summary>Base addresses of the candidate's service replicas, comma-separated.</summary>
    public const string ServiceUrls = "CODELAB_SERVICE_URLS";

    /// <summary>Port the judge's fakes listen on (the candidate reaches them by the judge's network aliases).</summary>
    public const string FakesPort = "CODELAB_FAKES_PORT";

    /// <summary>host:port of the grade's Redis, when the exercise has one.</summary>
    public const string Redis = "CODELAB_REDIS";

    /// <summary>Password of the judge's own Redis user ("judge"); the candidate's service is the default user, with fewer commands.</summary>
    public const string RedisPassword = "CODELAB_REDIS_PASSWORD";

    /// <summary>The service's health path (what readiness waits for).</summary>
    public const string ReadyPath = "CODELAB_READY_PATH";

    internal static string Get(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
