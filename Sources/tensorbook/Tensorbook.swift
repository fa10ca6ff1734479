import ArgumentParser
import Diagnostics
import Foundation
import TensorEngine

/// The `tensorbook` command line: the REPL, `-e STATEMENT`, `run FILE`.
@main
struct Tensorbook: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tensorbook",
        abstract: "A notebook-style REPL for learning and teaching neural networks.",
        discussion: """
            With no arguments, starts the interactive prompt. Examples:
              tensorbook -e 'model = cnn()' -e 'show model'
              tensorbook lesson.tb                  (the same as: tensorbook run lesson.tb)
              tensorbook run notebooks/03-mnist-cnn.nb --check
            """,
        version: version,
        subcommands: [Run.self, Repl.self, Export.self, Import.self, Compare.self, KernelCommand.self])

    @Option(name: .customShort("e"), help: ArgumentHelp("Run a statement and exit (repeat for several).", valueName: "statement"))
    var statements: [String] = []

    @OptionGroup var common: CommonOptions

    /// Runs the command line, reading `tensorbook FILE.tb [options]` as `tensorbook run FILE.tb
    /// [options]`, as `python file.py` would.
    static func main() {
        CrashReport.install()
        main(Self.insertingRun(into: Array(CommandLine.arguments.dropFirst())))
    }

    /// The arguments with `run` put first when they name a .tb or .nb file but no subcommand
    /// (and no `-e` statements); otherwise unchanged.
    static func insertingRun(into arguments: [String]) -> [String] {
        let subcommands = Set(configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() })
        guard !arguments.contains(where: { subcommands.contains($0) || $0 == "-e" }),
              arguments.contains(where: { !$0.hasPrefix("-") && ($0.hasSuffix(".tb") || $0.hasSuffix(".nb")) }) else {
            return arguments
        }
        return ["run"] + arguments
    }

    func run() throws {
        common.applyMemoryLimit()
        if statements.isEmpty {
            try Repl.start(common)
            return
        }
        let session = ConsoleSession(seed: common.seed, showsTimings: common.time)
        for (index, statement) in statements.enumerated() {
            guard session.run(SourceFile(name: "<-e \(index + 1)>", text: statement)) else { break }
        }
        if session.exitCode != 0 { throw ExitCode(session.exitCode) }
    }
}

/// Options every mode shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Seed every random draw (same as the statement `seed N`).")
    var seed: UInt64?

    @Flag(help: "Show wall-clock times, GFLOP/s and energy in training output.")
    var time = false

    @Option(help: ArgumentHelp("The most memory tensors may hold, e.g. 8G or 512M (default: 3/4 of RAM).", valueName: "size"))
    var memoryLimit: String?

    mutating func validate() throws {
        if let memoryLimit, (MemoryBudget.parseSize(memoryLimit) ?? 0) < 1 << 20 {
            throw ValidationError("--memory-limit: cannot read '\(memoryLimit)' as a size of at least 1 MiB (write it like 8G or 512M)")
        }
    }

    /// Sets the memory limit for this process when one was given.
    func applyMemoryLimit() {
        if let bytes = memoryLimit.flatMap(MemoryBudget.parseSize) { MemoryBudget.limit = bytes }
    }
}

/// `tensorbook run FILE`: runs a file of statements (`.tb`) or a notebook (`.nb`).
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a file of statements and exit (exit code 65 on the first error).")

    @Argument(help: "A .tb file of statements, or a .nb notebook.")
    var file: String

    @OptionGroup var common: CommonOptions
    @OptionGroup(title: "Notebooks (.nb)") var notebook: NotebookOptions

    func run() throws {
        common.applyMemoryLimit()
        RunSignals.install()
        if file.hasSuffix(".nb") {
            try NotebookMode.run(path: file, options: notebook, common: common)
            return
        }
        let session = ConsoleSession(seed: common.seed, showsTimings: common.time)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            session.reportInputOutputError("cannot read '\(file)'", hint: FileManager.default.fileExists(atPath: file) ? "check its permissions and that it is UTF-8 text" : "no such file")
            throw ExitCode(session.exitCode)
        }
        session.run(SourceFile(name: file, text: text))
        if session.exitCode != 0 { throw ExitCode(session.exitCode) }
        if RunSignals.wasInterrupted { throw ExitCode(130) }
    }
}
