using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeLab.Judge;
using Shouldly;
using Xunit;

namespace CacheStampede.Tests;

/// <summary>The shape of the API. The grader runs these with hidden tests of the same behaviour.</summary>
[Trait("level", "junior")]
public sealed class CachePublicTests
{
    static async Task<OriginFake> OriginAsync()
    {
        var origin = await OriginFake.StartedAsync();
        origin.Reset();
        return origin;
    }

    static string NewId() => "pub-" + Guid.NewGuid().ToString("N");

    [Fact(DisplayName = "A first read loads the product from the origin (X-Cache: miss); a second read is a hit and loads nothing")]
    [Trait("criterion", "caching")]
    public async Task Second_read_is_a_hit()
    {
        var origin = await OriginAsync();
        var id = NewId();
        var ct = TestContext.Current.CancellationToken;

        using var first = await Service.Client.GetAsync($"/products/{id}", ct);
        using var second = await Service.Client.GetAsync($"/products/{id}", ct);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.GetValues("X-Cache").Single().ShouldBe("miss", StringCompareShould.IgnoreCase);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Headers.GetValues("X-Cache").Single().ShouldBe("hit", StringCompareShould.IgnoreCase);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(ct);
        body.GetProperty("name").GetString().ShouldBe(origin.Current(id)!.Name);
        origin.LoadsOf(id).ShouldBe(1, "two reads, one origin load");
    }

    [Fact(DisplayName = "A product the origin does not know is answered 404")]
    [Trait("criterion", "not-found")]
    public async Task Unknown_product_is_404()
    {
        var origin = await OriginAsync();
        var id = NewId();
        origin.Remove(id);

        using var response = await Service.Client.GetAsync($"/products/{id}", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(DisplayName = "A write through PUT reaches the origin and the next read shows it")]
    [Trait("criterion", "writes")]
    public async Task Write_is_visible()
    {
        var origin = await OriginAsync();
        var id = NewId();
        var ct = TestContext.Current.CancellationToken;
        (await Service.Client.GetAsync($"/products/{id}", ct)).Dispose();

        using var write = await Service.Client.PutAsJsonAsync($"/products/{id}", new { name = "Renamed", price = 4200 }, ct);
        using var read = await Service.Client.GetAsync($"/products/{id}", ct);

        write.StatusCode.ShouldBe(HttpStatusCode.OK);
        origin.Current(id)!.Name.ShouldBe("Renamed", "the write must reach the origin");
        var body = await read.Content.ReadFromJsonAsync<JsonElement>(ct);
        body.GetProperty("name").GetString().ShouldBe("Renamed");
        body.GetProperty("price").GetInt64().ShouldBe(4200);
    }
}
