// A schedule no generator can keep, on any machine: 2,000 calls in one second, and each call holds a lock all calls
// share while it sleeps a millisecond, so the calls run one at a time, a thousand a second at best however many
// threads or cores there are. The calls behind the lock keep their thread-pool threads, later calls start late, and
// the generator's lag reaches a second (about 1.3 s at p99, measured) whatever the service does. An earlier version
// asked for two million no-op calls a second: a quiet machine kept that schedule, and then the fixture's impossible
// threshold was scored. The grader must call the run inconclusive (verdict error after one retry), never a lower
// score. Grader tests only.
var oneAtATime = new object();
Scenario.Create("flood", _ =>
    {
        lock (oneAtATime) Thread.Sleep(1);
        return Task.FromResult(Response.Ok(200));
    })
    .WithoutWarmUp()
    .WithLoadSimulations(Simulation.Inject(2_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
