// Tests run one at a time: the solution tests share one calibration that grades two at a time inside itself (as a
// grading server does on a 2-core machine); the workspace tests run beside it at a low CPU priority (see WorkspacesFirst).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The workspace tests first, as the calibration starts grading in the background (see WorkspacesFirst).
[assembly: TestCollectionOrderer(typeof(CodeLab.Calibration.Tests.WorkspacesFirst))]
