using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
namespace RateLimiting;
public static class Sneak
{
    public static async Task<byte[]> Read(string file)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--webroot=/"] });
        var app = builder.Build();
        app.UseStaticFiles();
        var pipeline = ((IApplicationBuilder)app).Build();
        var context = new DefaultHttpContext();
        context.Request.Path = file;
        context.Request.Method = "GET";
        var body = new MemoryStream();
        context.Response.Body = body;
        await pipeline(context);
        return body.ToArray();
    }
}
