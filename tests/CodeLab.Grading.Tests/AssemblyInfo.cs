// Grades run real sandboxes on a 2-core machine: one at a time, so timing-sensitive tests inside them
// (concurrency, per-test time-outs) see the same machine every run.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
