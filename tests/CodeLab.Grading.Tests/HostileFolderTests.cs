using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CodeLab.Grading.Tests;

/// <summary>
/// Hand-ins that attack the grader itself while it reads them (issue 14): FIFOs, hard and symbolic links, sockets,
/// devices, names that are not UTF-8 or that drive a terminal. Each is made for real on the file system; each must
/// be bad input, named safely, returned promptly, with nothing from outside the folder read.
/// </summary>
public sealed class HostileFolderTests : IDisposable
{
    /// <summary>A guard against a hang (a read that waits for a FIFO's writer waits for ever), not a speed bound: this
    /// suite runs beside the calibration, on a busy machine.</summary>
    static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60);
    readonly string folder = Directory.CreateTempSubdirectory("codelab-hostile-folder").FullName;
    readonly string outside = Path.Combine(Path.GetTempPath(), $"codelab-host-secret-{Guid.NewGuid():N}.txt");
    const string Secret = "HOST-SECRET-d41d8cd98f00b204";

    public HostileFolderTests()
    {
        Directory.CreateDirectory(Path.Combine(folder, "src"));
        File.WriteAllText(Path.Combine(folder, "src", "Limiter.cs"), "class Limiter { }");
        File.WriteAllText(outside, $"class Leak {{ string s = \"{Secret}\" }}");
    }

    /// <summary>Runs a shell command in the hand-in folder (names with any bytes are easiest to make with bash's $'...').</summary>
    void Shell(string command) => TestSupport.Shell.Run(folder, command);

    /// <summary>Reads on another thread, so that a hang fails the test instead of stalling the run.</summary>
    async Task<string> Refused()
    {
        var read = Task.Run(() => SubmissionReader.Read(folder));
        var finished = await Task.WhenAny(read, Task.Delay(Prompt, TestContext.Current.CancellationToken));
        finished.ShouldBe(read, $"reading the hand-in must return within {Prompt.TotalSeconds} s");
        var message = (await Should.ThrowAsync<BadInputException>(read)).Message;
        message.ShouldNotContain(Secret);
        message.Split('\n').Length.ShouldBe(1);
        message.ShouldAllBe(c => c >= ' ' && c != '\u007f', "printed safely: no control character");
        return message;
    }

    async Task<Submission> Read()
    {
        var read = Task.Run(() => SubmissionReader.Read(folder));
        (await Task.WhenAny(read, Task.Delay(Prompt, TestContext.Current.CancellationToken))).ShouldBe(read);
        return await read;
    }

    [Fact]
    public async Task A_fifo_named_like_source_is_refused_without_waiting_for_a_writer()
    {
        Shell("mkfifo src/Pipe.cs");
        (await Refused()).ShouldBe("src/Pipe.cs is a named pipe (FIFO), not a file; hand in real files and folders only.");
    }

    [Fact]
    public async Task A_hard_link_to_a_host_file_is_refused_and_its_content_never_read()
    {
        Shell($"ln '{outside}' src/Secret.cs");
        (await Refused()).ShouldBe("src/Secret.cs is a hard link (one file with 2 names, which may be outside the folder); hand in a copy of the file instead.");
    }

    [Fact]
    public async Task Two_names_for_one_file_inside_the_folder_are_refused_too()
    {
        Shell("ln src/Limiter.cs src/Again.cs");
        (await Refused()).ShouldContain("is a hard link");
    }

    [Fact]
    public async Task A_unix_socket_named_like_source_is_refused()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(folder, "Sock.cs")));
        (await Refused()).ShouldBe("Sock.cs is a socket, not a file; hand in real files and folders only.");
    }

    [Fact]
    public async Task A_device_node_is_refused_without_being_opened()
    {
        var mknod = Process.Start(new ProcessStartInfo("mknod", [Path.Combine(folder, "src", "Null.cs"), "c", "1", "3"]) { RedirectStandardError = true })!;
        var error = await mknod.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await mknod.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (mknod.ExitCode != 0) Assert.Skip($"mknod needs root (CAP_MKNOD) and this run lacks it: {error.Trim()}");
        (await Refused()).ShouldBe("src/Null.cs is a device, not a file; hand in real files and folders only.");
    }

    [Fact]
    public async Task A_name_that_is_not_utf8_is_refused_with_its_bytes_shown()
    {
        Shell("touch $'src/\\xff\\xfe.cs'");
        (await Refused()).ShouldBe(@"src/\xff\xfe.cs has a name that is not valid UTF-8; rename it.");
    }

    [Fact]
    public async Task A_folder_whose_name_is_not_utf8_is_refused_before_its_files_are_read()
    {
        Shell("mkdir $'src/dir\\xc3' && touch $'src/dir\\xc3/A.cs'");
        (await Refused()).ShouldBe(@"src/dir\xc3 has a name that is not valid UTF-8; rename it.");
    }

    [Fact]
    public async Task A_name_with_terminal_escapes_is_refused_and_shown_with_visible_escapes()
    {
        Shell("touch $'\\e[2J\\e[1;1HGRADED 100.cs'");
        (await Refused()).ShouldBe(@"\x1b[2J\x1b[1;1HGRADED 100.cs has control or invisible characters in its name; rename it.");
    }

    [Fact]
    public async Task A_name_with_a_bidi_override_is_refused()
    {
        Shell("touch $'src/Limiter\\u202esc.cs'");
        (await Refused()).ShouldBe(@"src/Limiter\u202esc.cs has control or invisible characters in its name; rename it.");
    }

    [Fact]
    public async Task A_symbolic_link_to_a_host_folder_is_refused_not_skipped()
    {
        Directory.CreateSymbolicLink(Path.Combine(folder, "src", "host"), Path.GetDirectoryName(outside)!);
        (await Refused()).ShouldBe("src/host is a symbolic link; hand in real files and folders only.");
    }

    [Fact]
    public async Task Skipped_folders_are_never_opened_whatever_they_hold()
    {
        Shell($"mkdir -p bin obj tests .git src/obj && mkfifo bin/Pipe.cs obj/Pipe.cs tests/Pipe.cs .git/Pipe.cs src/obj/Pipe.cs && ln '{outside}' tests/Secret.cs");
        Shell("mkfifo .pipe && ln -s /etc .idea");
        var submission = await Read();
        submission.Files.Select(f => f.Path).ShouldBe(["src/Limiter.cs"]);
    }

    [Fact]
    public async Task A_link_in_place_of_a_skipped_folder_is_not_followed()
    {
        Directory.CreateSymbolicLink(Path.Combine(folder, "bin"), "/dev");
        Directory.CreateSymbolicLink(Path.Combine(folder, "src", "obj"), "/proc/self");
        (await Read()).Files.Select(f => f.Path).ShouldBe(["src/Limiter.cs"]);
    }

    [Fact]
    public async Task Files_other_than_source_are_not_opened_but_special_files_are_refused_whatever_their_name()
    {
        Shell("printf 'x' > README.md && touch $'notes\\xff.txt'");
        (await Read()).Files.Select(f => f.Path).ShouldBe(["src/Limiter.cs"]);
        Shell("mkfifo src/notes.txt");
        (await Refused()).ShouldBe("src/notes.txt is a named pipe (FIFO), not a file; hand in real files and folders only.");
    }

    [Fact]
    public async Task A_folder_too_deep_is_refused()
    {
        Shell($"mkdir -p {string.Join('/', Enumerable.Repeat("d", SubmissionReader.MaxDepth + 2))}");
        (await Refused()).ShouldContain($"is nested more than {SubmissionReader.MaxDepth} folders deep");
    }

    [Fact]
    public async Task A_folder_with_too_many_entries_is_refused()
    {
        Shell($"mkdir many && cd many && seq 1 {SubmissionReader.MaxEntries + 1} | xargs touch");
        (await Refused()).ShouldBe($"The submission has more than {SubmissionReader.MaxEntries} files and folders outside tests/, bin/ and obj/; hand in source code only.");
    }

    /// <summary>
    /// The race the handles close: an entry listed as a file may be a FIFO or a link by the time it is opened.
    /// Opening never follows the link and never waits for the FIFO's writer; what was opened is judged by its handle.
    /// </summary>
    [Fact]
    public void What_is_opened_is_judged_by_its_handle_so_a_swapped_entry_cannot_slip_through()
    {
        Shell($"mkfifo src/Swapped.cs && ln -s '{outside}' src/Link.cs && mkdir real && ln -s real src/Dir");
        using var src = NoFollowFolderFor("src");
        var opened = Task.Run(() => { using var f = src.Open("Swapped.cs"u8.ToArray()); return f.Status; });
        opened.Wait(Prompt).ShouldBeTrue("opening a FIFO must not wait for a writer");
        opened.Result.Kind.ShouldBe(FileKind.Fifo);
        Should.Throw<IOException>(() => src.Open("Link.cs"u8.ToArray())).HResult.ShouldBe(40, "ELOOP: the link is not followed");
        Should.Throw<IOException>(() => src.OpenFolder("Dir"u8.ToArray()));
    }

    NoFollowFolder NoFollowFolderFor(string relative) => NoFollowFolder.OpenRoot(Path.Combine(folder, relative));

    public void Dispose()
    {
        // rm, not Directory.Delete: .NET cannot name (so cannot delete) an entry whose name is not UTF-8.
        Shell($"rm -rf '{folder}'");
        File.Delete(outside);
    }
}
