import Foundation
import Glibc
import Testing

/// The built `tensorbook` executable, next to the test bundle.
let tensorbookBinary: String = {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for candidate in [folder, folder.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("tensorbook").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return folder.appendingPathComponent("tensorbook").path
}()

/// Runs a program to completion, feeding `input`; returns exit status and both outputs.
func runProgram(_ path: String, _ arguments: [String], input: String, environment: [String: String] = [:]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output, errors)
}

@Suite(.serialized) struct EndToEndTests {
    @Test func pipedInputPrintsPlainOutputAndTheExitCode() throws {
        let good = try runProgram(tensorbookBinary, [], input: "x = tensor([1,\n 2])\nprint x.sum() * 3\nhelp linear\n")
        #expect(good.status == 0 && good.errors.isEmpty)
        #expect(good.output == "tensor(9.)\nlinear(in, out, bias: true)\n  Fully connected: y = x·Wᵀ + b (PyTorch nn.Linear).\n")
        let bad = try runProgram(tensorbookBinary, [], input: "y = z\nprint 1\n")
        #expect(bad.status == 65 && bad.output == "1\n" && bad.errors.contains("<input 1>:1:5: error: unknown name 'z'"))
        #expect(!bad.errors.contains("\u{1B}"), "no colour when not on a terminal")
    }

    /// help fits the terminal (issue 16 item 2): COLUMNS when narrower, 80 when piped output sets nothing;
    /// help KIND lists one kind with what each does.
    @Test func helpFitsTheTerminalWidth() throws {
        for (columns, limit) in [("", 80), ("60", 60), ("140", 100)] {
            let run = try runProgram(tensorbookBinary, [], input: "help\nhelp commands\nhelp layer\nexplain\n", environment: ["COLUMNS": columns])
            #expect(run.status == 0 && run.errors.isEmpty)
            let widest = run.output.split(separator: "\n").map(\.count).max() ?? 0
            #expect(widest <= limit && widest > limit - 20, "COLUMNS=\(columns): widest line \(widest)")
            #expect(run.output.contains("\ntrain MODEL on DATA [epochs N]") && run.output.contains("\nconv2d(in, out, kernel"))
            #expect(run.output.contains("\n  cross_entropy  cross entropy"))
        }
    }

    @Test func commandLineModes() throws {
        let e = try runProgram(tensorbookBinary, ["-e", "print 6 * 7"], input: "")
        #expect(e.status == 0 && e.output == "42\n")
        let version = try runProgram(tensorbookBinary, ["--version"], input: "")
        #expect(version.output.hasPrefix("0."))
        let missing = try runProgram(tensorbookBinary, ["run", "/nonexistent/lesson.tb"], input: "")
        #expect(missing.status == 74 && missing.errors.contains("cannot read '/nonexistent/lesson.tb'"))
        let internalOrUser = try runProgram(tensorbookBinary, ["-e", "x = ("], input: "")
        #expect(internalOrUser.status == 65)
        // `tensorbook FILE` runs it, as `python file.py` would, with the options after it too.
        let script = NSTemporaryDirectory() + "tensorbook-bare-\(UUID().uuidString).tb"
        try "x = randn(1)\nprint x".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let bare = try runProgram(tensorbookBinary, [script, "--seed", "5"], input: "")
        let viaRun = try runProgram(tensorbookBinary, ["run", script, "--seed", "5"], input: "")
        #expect(bare.status == 0 && bare.output.hasPrefix("tensor([") && bare.output == viaRun.output)
        let bareMissing = try runProgram(tensorbookBinary, ["/nonexistent/lesson.tb"], input: "")
        #expect(bareMissing.status == 74 && bareMissing.errors.contains("cannot read '/nonexistent/lesson.tb'"))
        // An empty --prefix would install into /share/jupyter (issue 33, item 7).
        let emptyPrefix = try runProgram(tensorbookBinary, ["kernel", "install", "--prefix", ""], input: "")
        #expect(emptyPrefix.status == 64 && emptyPrefix.errors.contains("--prefix needs a folder"), "\(emptyPrefix.errors)")
    }

    /// A notebook whose recorded output was edited fails --check with a diff naming the cell.
    @Test func checkingAnEditedNotebookFailsWithADiff() throws {
        let lesson = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("notebooks/01-tensors-and-autograd.nb")
        let copy = NSTemporaryDirectory() + "tensorbook-edited-\(UUID().uuidString).nb"
        let original = try String(contentsOf: lesson, encoding: .utf8)
        try original.replacingOccurrences(of: "tensor([ 2., -4.,  6.])", with: "tensor([ 2., -4.,  9.])").write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let result = try runProgram(tensorbookBinary, ["run", copy, "--check"], input: "")
        #expect(result.status == 1)
        #expect(result.errors.contains("-tensor([ 2., -4.,  9.])\n+tensor([ 2., -4.,  6.])"), "\(result.errors)")
        #expect(result.errors.contains(" cell 7, recorded") && result.output.contains("1 of 11 cells differ"))
        let clean = try runProgram(tensorbookBinary, ["run", lesson.path, "--check"], input: "")
        #expect(clean.status == 0 && clean.output.hasSuffix("all 11 cells match\n"))
    }

    /// A cell fenced `tolerance=N%` accepts numbers that far from the recording; others keep the default.
    @Test func aCellToleranceLoosensOnlyItsCell() throws {
        let path = NSTemporaryDirectory() + "tensorbook-tolerance-\(UUID().uuidString).nb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let notebook = { (first: String, second: String) in
            "```nb tolerance=10%\n1.05\n```\n\n```output\n\(first)\n```\n\n```nb\n1.05\n```\n\n```output\n\(second)\n```\n"
        }
        try notebook("1", "1.05").write(toFile: path, atomically: true, encoding: .utf8)
        let loose = try runProgram(tensorbookBinary, ["run", path, "--check"], input: "")
        #expect(loose.status == 0, "\(loose.errors)")
        try notebook("1.05", "1").write(toFile: path, atomically: true, encoding: .utf8)
        let strict = try runProgram(tensorbookBinary, ["run", path, "--check"], input: "")
        #expect(strict.status == 1 && strict.errors.contains("cell 2, recorded") && !strict.errors.contains("cell 1, recorded"))
    }

    @Test func steppingThroughANotebook() throws {
        let path = NSTemporaryDirectory() + "tensorbook-step-\(UUID().uuidString).nb"
        try "<!-- tensorbook 0.1.0; seed none -->\n# Stepping\n\nFirst some prose.\n\n```nb\nprint \"one\"\n```\n\n```nb\nprint \"two\"\n```\n\n```nb\nprint \"three\"\n```\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runProgram(tensorbookBinary, ["run", path, "--step"], input: "sx\n\ns\nq\n")
        #expect(result.status == 0)
        #expect(result.output.contains("'sx' is not one of them; [Enter] run") && !result.output.contains("<!-- tensorbook"))
        #expect(result.output.contains("First some prose.") && result.output.contains("── cell 1") && result.output.contains("  │ print \"one\""))
        #expect(result.output.contains("one\n") && !result.output.contains("two\n") && !result.output.contains("three\n"))
    }

    @Test func aSavedSessionIsANotebookThatChecks() throws {
        let path = NSTemporaryDirectory() + "tensorbook-saved-\(UUID().uuidString).nb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try runProgram(tensorbookBinary, [], input: "x = tensor([1, 2])\nx * 3\nbad = nope\nprint x.sum()\n:save \(path)\n")
        #expect(session.output.contains("saved 3 statements with their outputs to \(path)"))
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("```nb\nx * 3\n```\n\n```output\ntensor([3., 6.])\n```") && !saved.contains("nope"))
        let check = try runProgram(tensorbookBinary, ["run", path, "--check"], input: "")
        #expect(check.status == 0, "\(check.errors)")
    }

    /// On a terminal `--step` answers with one key press; an unknown key asks again.
    @Test func steppingTakesSingleKeysInARealTerminal() throws {
        let path = NSTemporaryDirectory() + "tensorbook-keys-\(UUID().uuidString).nb"
        try "```nb\nprint \"one\"\n```\n\n```nb\nprint \"two\"\n```\n\n```nb\nprint \"three\"\n```\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let terminal = try TmuxTerminal(command: "\(tensorbookBinary) run \(path) --step; echo exited-$?; sleep 30")
        defer { terminal.close() }
        try terminal.waitFor("print \"one\"\n[Enter] run  [s] skip  [q] quit:")
        terminal.send("s")
        try terminal.waitFor("print \"two\"\n[Enter] run  [s] skip  [q] quit:")
        terminal.send("x")
        try terminal.waitFor("'x' is not one of them; [Enter] run  [s] skip  [q] quit:")
        terminal.send("Enter")
        try terminal.waitFor("\ntwo\n")
        terminal.send("q")
        try terminal.waitFor("exited-0")
        #expect(!terminal.screen.contains("\none\n"), "the skipped cell did not run")
    }

    /// `:save` after Ctrl-C stopped a training writes a notebook that stops at the same batch,
    /// without wall-clock figures, and that checks clean.
    @Test func aSessionSavedAfterCtrlCChecksClean() throws {
        let path = NSTemporaryDirectory() + "tensorbook-stopped-\(UUID().uuidString).nb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let terminal = try TmuxTerminal(command: tensorbookBinary)
        defer { terminal.close() }
        try terminal.waitFor("Ctrl-D exits.\n>")
        usleep(300_000)
        terminal.send("seed 1", "Enter", "m = sequential(flatten(), mlp(784, 16, 10))", "Enter", "h = train m on mnist epochs 3", "Enter")
        try terminal.waitFor("ETA")
        terminal.send("C-c")
        try terminal.waitFor("stopped by Ctrl-C at epoch")
        terminal.send("h", "Enter")
        try terminal.waitFor("(stopped at batch ")
        terminal.send(":save \(path)", "Enter")
        try terminal.waitFor("saved 4 statements")
        terminal.send("C-d")
        try terminal.waitForExit()
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("```nb stopped-after-batches=") && saved.contains("(stopped at batch "), "\(saved)")
        #expect(!saved.contains("GFLOP/s") && !saved.contains("energy") && !saved.contains("examples/s"), "\(saved)")
        let check = try runProgram(tensorbookBinary, ["run", path, "--check"], input: "")
        #expect(check.status == 0, "\(check.errors)\n\(saved)")
    }

    /// The real terminal: libedit in tmux on a private socket (PLATFORM.md).
    @Test func typingCompletionHistoryInterruptAndExitInARealTerminal() throws {
        let terminal = try TmuxTerminal(command: tensorbookBinary)
        defer { terminal.close() }
        try terminal.waitFor("Ctrl-D exits.\n>")
        usleep(300_000)
        terminal.send("model = sequential(flat", "Tab", ", mlp(784, 32, 10))", "Enter")
        terminal.send("mnist.te", "Tab")
        try terminal.waitFor("> mnist.test")
        terminal.send("Enter")
        try terminal.waitFor("mnist.test: 10,000 examples")
        terminal.send("h = train model on mnist epochs 40", "Enter")
        try terminal.waitFor("ETA")
        terminal.send("C-c")
        try terminal.waitFor("stopped by Ctrl-C at epoch")
        terminal.send("evaluate model on mnist", "Enter")
        try terminal.waitFor("mnist.test: loss")
        terminal.send("Up")
        try terminal.waitFor("> evaluate model on mnist\n", after: "mnist.test: loss")
        terminal.send("C-u", "C-d")
        try terminal.waitForExit()
        let history = try String(contentsOfFile: terminal.historyPath, encoding: .utf8)
        #expect(history.contains("evaluate\\040model\\040on\\040mnist"))
        // The history is there at the next start.
        let again = try TmuxTerminal(command: tensorbookBinary, historyPath: terminal.historyPath)
        defer { again.close() }
        try again.waitFor("Ctrl-D exits.\n>")
        usleep(300_000)  // libedit takes over the terminal just after printing the prompt
        again.send("Up")
        try again.waitFor("> evaluate model on mnist")
        again.send("C-u", "C-c", "C-c")
        try again.waitForExit()
    }
}

/// A program running in a detached tmux session on a private socket.
final class TmuxTerminal {
    let socket = "tensorbook-test-\(UUID().uuidString.prefix(8))"
    let historyPath: String

    init(command: String, historyPath: String? = nil) throws {
        self.historyPath = historyPath ?? NSTemporaryDirectory() + "tensorbook-history-\(UUID().uuidString)"
        let shellCommand = "env TENSORBOOK_HISTORY=\(self.historyPath) NO_COLOR=1 SWIFT_BACKTRACE=interactive=no \(command)"
        let status = tmux(["new-session", "-d", "-s", "main", "-x", "150", "-y", "50", shellCommand]).status
        guard status == 0 else { throw TerminalError("tmux could not start (is tmux installed? make deps installs it)") }
    }

    /// Runs a tmux client with posix_spawn and waitpid (Foundation's Process did not reap it
    /// here). Only `capture-pane` output is read: a client that starts the server hands the server
    /// its standard output, so that one goes to /dev/null.
    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        let readsOutput = arguments.first == "capture-pane"
        var pipeEnds: [Int32] = [0, 0]
        if readsOutput { pipe(&pipeEnds) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if readsOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // A clean signal mask and default dispositions: the test runner's are not the user's shell's.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        guard posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ) == 0 else { return (127, "") }
        var output = Data()
        if readsOutput {
            Glibc.close(pipeEnds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            Glibc.close(pipeEnds[0])
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
    }

    /// Sends keys: literal text, or tmux key names (Enter, Tab, Up, C-c, C-d, C-u).
    func send(_ keys: String...) {
        for key in keys {
            let named = ["Enter", "Tab", "Up", "Down", "C-c", "C-d", "C-u"].contains(key)
            tmux(["send-keys", "-t", "main"] + (named ? [key] : ["-l", key]))
            usleep(150_000)
        }
    }

    var screen: String { tmux(["capture-pane", "-t", "main", "-p", "-S", "-200"]).output }

    /// Waits (up to 30 s) until the screen shows `text`, optionally after `anchor`.
    func waitFor(_ text: String, after anchor: String? = nil) throws {
        for _ in 0..<300 {
            var visible = screen
            if let anchor, let range = visible.range(of: anchor, options: .backwards) { visible = String(visible[range.upperBound...]) }
            else if anchor != nil { visible = "" }
            if visible.contains(text) { return }
            usleep(100_000)
        }
        throw TerminalError("timed out waiting for \"\(text)\"; screen:\n\(screen)")
    }

    /// Waits until the program has ended (the tmux session closes with it).
    func waitForExit() throws {
        for _ in 0..<100 {
            if tmux(["has-session", "-t", "main"]).status != 0 { return }
            usleep(100_000)
        }
        throw TerminalError("the program did not exit; screen:\n\(screen)")
    }

    func close() {
        tmux(["kill-server"])
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
