// Grades run real sandboxes on a 2-core machine: one at a time, so concurrency tests inside them see the
// same machine every run.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
