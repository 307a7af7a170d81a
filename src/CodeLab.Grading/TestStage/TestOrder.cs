using CodeLab.Compilation;

namespace CodeLab.Grading;

/// <summary>
/// Generated into every test assembly: xUnit runs test classes and test cases in ordinal name order. Tests share
/// a process, so order can matter (a thread bomb in one test starves the next); a fixed order makes the same
/// submission meet the same conditions, and so get the same grade, every time.
/// </summary>
internal static class TestOrder
{
    public static readonly SourceFile Source = new(CSharpCompiler.GeneratedPath, """
        [assembly: global::Xunit.TestCollectionOrderer(typeof(global::CodeLab.Generated.OrdinalTestCollectionOrderer))]
        [assembly: global::Xunit.TestCaseOrderer(typeof(global::CodeLab.Generated.OrdinalTestCaseOrderer))]

        namespace CodeLab.Generated
        {
            public sealed class OrdinalTestCollectionOrderer : global::Xunit.v3.ITestCollectionOrderer
            {
                global::System.Collections.Generic.IReadOnlyCollection<TTestCollection> global::Xunit.v3.ITestCollectionOrderer.OrderTestCollections<TTestCollection>(
                    global::System.Collections.Generic.IReadOnlyCollection<TTestCollection> testCollections) =>
                    global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.OrderBy(
                        testCollections, c => c.TestCollectionDisplayName, global::System.StringComparer.Ordinal));
            }

            public sealed class OrdinalTestCaseOrderer : global::Xunit.v3.ITestCaseOrderer
            {
                global::System.Collections.Generic.IReadOnlyCollection<TTestCase> global::Xunit.v3.ITestCaseOrderer.OrderTestCases<TTestCase>(
                    global::System.Collections.Generic.IReadOnlyCollection<TTestCase> testCases) =>
                    global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.ThenBy(
                        global::System.Linq.Enumerable.ThenBy(
                            global::System.Linq.Enumerable.OrderBy(testCases, c => c.TestClassName ?? "", global::System.StringComparer.Ordinal),
                            c => c.TestMethodName ?? "", global::System.StringComparer.Ordinal),
                        c => c.TestCaseDisplayName, global::System.StringComparer.Ordinal));
            }
        }

        """);
}
