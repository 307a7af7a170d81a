// A rate no generator on this machine can keep: two million calls per second for two seconds, each call answered at
// once without leaving the judge. The generator falls behind its schedule whatever the service does, so the grader
// must call the run inconclusive (verdict error after one retry), never a lower score. Grader tests only.
Scenario.Create("flood", _ => Task.FromResult(Response.Ok(200)))
    .WithMaxInFlight(100_000)
    .WithLoadSimulations(Simulation.Inject(2_000_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)))
