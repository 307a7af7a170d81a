using Xunit.Sdk;
using Xunit.v3;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// The workspace tests run before any other collection. Each starts the calibration (<see cref="Catalog.Start"/>),
/// which grades in the background from then on, so the workspaces are built and run while the first grades go, at a
/// low CPU priority (<see cref="CandidateWorkspace.BuildNice"/>), and the solution tests after them mostly find their
/// rows done. Run after the solution tests instead, they would add their minutes to the calibration's.
/// </summary>
public sealed class WorkspacesFirst : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        testCollections
            .OrderBy(c => c.TestCollectionDisplayName.Contains("Workspace", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(c => c.TestCollectionDisplayName, StringComparer.Ordinal)
            .ToList();
}
