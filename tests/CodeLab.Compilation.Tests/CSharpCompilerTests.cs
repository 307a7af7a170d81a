using CodeLab.Compilation;

namespace CodeLab.Compilation.Tests;

public sealed class CSharpCompilerTests
{
    [Fact]
    public void Valid_code_compiles_to_an_assembly_with_a_pdb()
    {
        var compilation = Compile.Library("namespace A; public sealed class Adder { public int Add(int a, int b) => a + b; }");
        var output = CSharpCompiler.Emit(compilation, withPdb: true, CancellationToken.None);
        output.Succeeded.ShouldBeTrue();
        output.Assembly!.Length.ShouldBeGreaterThan(0);
        output.Pdb!.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Errors_carry_the_submission_relative_file_line_and_column()
    {
        var compilation = Compile.Library("namespace A;\npublic class C\n{\n    public int M() => \"text\";\n}", path: "src/Sub/C.cs");
        var output = CSharpCompiler.Emit(compilation, withPdb: true, CancellationToken.None);
        output.Succeeded.ShouldBeFalse();
        var error = output.Diagnostics.First(d => d.IsError);
        error.Id.ShouldBe("CS0029");
        error.File.ShouldBe("src/Sub/C.cs");
        error.Line.ShouldBe(4);
        error.Column.ShouldBe(23);
    }

    [Fact]
    public void Line_directives_cannot_move_a_diagnostic_elsewhere()
    {
        var compilation = Compile.Library("namespace A;\n#line 99 \"tests/hidden/Secret.cs\"\npublic class C { public int M() => \"x\"; }", path: "src/C.cs");
        var output = CSharpCompiler.Emit(compilation, withPdb: false, CancellationToken.None);
        var error = output.Diagnostics.First(d => d.IsError);
        error.File.ShouldBe("src/C.cs");
        error.Line.ShouldBe(3);
    }

    [Fact]
    public void Syntax_errors_are_found_before_binding()
    {
        var compilation = Compile.Library("namespace A; public class C { public void M() { int x = ; } }");
        CSharpCompiler.ParseErrors(compilation, CancellationToken.None).ShouldNotBeEmpty();
    }

    [Fact]
    public void Implicit_usings_and_nullable_match_the_candidate_workspace()
    {
        // Compiles only with the workspace's implicit usings (System.Linq, System.Threading.Tasks, ...).
        var compilation = Compile.Library("namespace A; public class C { public async Task<int> M(List<int> xs) { await Task.Yield(); return xs.Sum(); } public string N(string? s) => s; }");
        var output = CSharpCompiler.Emit(compilation, withPdb: false, CancellationToken.None);
        output.Succeeded.ShouldBeTrue();
        output.Diagnostics.ShouldContain(d => d.Id == "CS8603"); // nullable warnings are on, as in the workspace
    }
}
