using Microsoft.AspNetCore.Mvc;

[ApiController]
[Route("health")]
public sealed class HealthController(RedisConnection redis) : ControllerBase
{
    [HttpGet]
    public IActionResult Get() => redis.IsConnected ? Ok("ok") : StatusCode(StatusCodes.Status503ServiceUnavailable);
}
