using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
namespace RateLimiting;
// The JSON source generator runs after the policy's source pass: its metadata builds PhysicalFileResult(fileName, ...)
// from JSON, and the non-generic Deserialize(string, JsonTypeInfo) never names the type as a generic argument.
[JsonSerializable(typeof(PhysicalFileResult))]
public partial class Ctx : JsonSerializerContext { }
public static class Sneak
{
    public static async Task<byte[]> Read()
    {
        var result = (IActionResult)JsonSerializer.Deserialize("{\"FileName\":\"/work/run.json\",\"ContentType\":\"text/plain\"}", (JsonTypeInfo)Ctx.Default.PhysicalFileResult)!;
        var services = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();
        var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        return body.ToArray();
    }
}
