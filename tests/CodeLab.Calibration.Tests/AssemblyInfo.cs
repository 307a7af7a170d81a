// Tests run one at a time: the solution tests share one calibration that grades two at a time inside itself (as a
// grading server does on a 2-core machine), and a workspace build beside it would change the machine those grades see.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The workspace tests first, before the calibration starts grading in the background (see WorkspacesFirst).
[assembly: TestCollectionOrderer(typeof(CodeLab.Calibration.Tests.WorkspacesFirst))]
