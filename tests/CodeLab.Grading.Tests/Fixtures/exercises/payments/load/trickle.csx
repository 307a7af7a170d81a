// A load any machine keeps: 20 calls in one second, each one health check of the service. Grader tests use it to see
// a load run wait for the machine's load slot. Grader tests only.
Scenario.Create("trickle", async ctx =>
    {
        using var response = await Service.Replicas[0].GetAsync("/health", ctx.CancellationToken);
        return response.IsSuccessStatusCode ? Response.Ok(200) : Response.Fail((int)response.StatusCode);
    })
    .WithoutWarmUp()
    .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
