using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeLab.Judge;

/// <summary>How the judge's fakes are hosted: a minimal web app on the fakes' port that logs nothing.</summary>
internal static class FakeHosting
{
    /// <summary>Where a fake listens in the judge container; the service reaches it by the fake's host name on this port.</summary>
    public static string Url => $"http://0.0.0.0:{JudgeEnvironment.Get(JudgeEnvironment.FakesPort, "9090")}";

    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        return builder.Build();
    }
}
