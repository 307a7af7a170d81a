using Xunit.Sdk;
using Xunit.v3;

namespace CodeLab.Calibration.Tests;

/// <summary>
/// The workspace tests run before any other collection, so before the calibration starts: a solution test starts it
/// and then waits only for its own rows, so the calibration goes on grading in the background while later tests run,
/// and workspace builds beside the grades would change the machine those grades see (and their containers would
/// count as the calibration's leftovers). <see cref="Catalog.SettledAsync"/> keeps them apart if the order ever fails.
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
