namespace CodeLab.Grading.Tests;

public sealed class SubmissionReaderTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("codelab-submission").FullName;

    void Write(string relative, string text) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(text));

    void WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Takes_the_candidates_cs_files_but_not_tests_build_output_hidden_folders_or_project_files()
    {
        Write("src/Limiter.cs", "class A { }");
        Write("Extra.cs", "class B { }");
        Write("tests/public/MyTests.cs", "class T { }");
        Write("bin/Debug/Gen.cs", "class G { }");
        Write("src/obj/Gen.cs", "class G2 { }");
        Write(".idea/Scratch.cs", "class S { }");
        Write("Solution.csproj", "<Project />");
        var submission = SubmissionReader.Read(folder);
        submission.Files.Select(f => f.Path).ShouldBe(["Extra.cs", "src/Limiter.cs"]);
    }

    [Fact]
    public void The_fingerprint_follows_content_not_time()
    {
        Write("src/A.cs", "class A { }");
        var first = SubmissionReader.Read(folder).Sha256;
        File.SetLastWriteTimeUtc(Path.Combine(folder, "src/A.cs"), DateTime.UnixEpoch);
        SubmissionReader.Read(folder).Sha256.ShouldBe(first);
        Write("src/A.cs", "class A { int x; }");
        SubmissionReader.Read(folder).Sha256.ShouldNotBe(first);
    }

    [Fact]
    public void A_byte_order_mark_is_dropped()
    {
        WriteBytes("A.cs", [0xEF, 0xBB, 0xBF, (byte)'c', (byte)'l', (byte)'a', (byte)'s', (byte)'s']);
        SubmissionReader.Read(folder).Files[0].Text.ShouldBe("class");
    }

    [Fact]
    public void A_missing_folder_is_bad_input() =>
        Should.Throw<BadInputException>(() => SubmissionReader.Read(Path.Combine(folder, "nope"))).Message.ShouldContain("does not exist");

    [Fact]
    public void A_folder_without_cs_files_is_bad_input()
    {
        Write("tests/OnlyTests.cs", "class T { }");
        Write("README.md", "hi");
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldContain("No .cs files");
    }

    [Fact]
    public void An_oversized_file_is_refused_with_its_name_and_the_limit()
    {
        Write("src/Big.cs", "// " + new string('x', (int)SubmissionReader.MaxFileBytes));
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldContain("src/Big.cs is 256 KB; a source file may be at most 256 KB");
    }

    [Fact]
    public void Too_much_source_in_total_is_refused()
    {
        for (var i = 0; i < 10; i++) Write($"src/F{i}.cs", "// " + new string('x', 250 * 1024));
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldContain("exceed 2 MB in total");
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        WriteBytes("src/Blob.cs", [0x4D, 0x5A, 0x90, 0x00, 0x03]);
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldBe("src/Blob.cs is a binary file, not C# source.");
    }

    [Fact]
    public void A_non_utf8_file_is_refused()
    {
        WriteBytes("src/Latin1.cs", [(byte)'/', (byte)'/', 0xE9, 0xE8, (byte)'\n']);
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldBe("src/Latin1.cs is not UTF-8 text; save it as UTF-8.");
    }

    [Fact]
    public void A_symbolic_link_is_refused_so_nothing_outside_the_folder_is_read()
    {
        Write("src/A.cs", "class A { }");
        File.CreateSymbolicLink(Path.Combine(folder, "src", "Passwd.cs"), "/etc/passwd");
        Should.Throw<BadInputException>(() => SubmissionReader.Read(folder)).Message.ShouldContain("src/Passwd.cs is a symbolic link");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
