import Diagnostics
import Display
import Foundation
import Language
import Terminal

/// The read–run loop: prompts (on a terminal), multi-line input, `:` commands, errors that never
/// end the session, Ctrl-C that clears the line (twice at an empty prompt: exit), Ctrl-D to exit.
public final class ReplSession {
    /// One statement that ran without error, with what it showed (for `:save`).
    public struct Entry: Sendable {
        public var source: String
        public var outputs: [DisplayValue]
        /// Whether Ctrl-C stopped it (training stops cleanly, so the entry still succeeded).
        public var wasInterrupted = false
        /// Training batches it ran.
        public var trainingBatches = 0
    }

    let session: Session
    let reader: any LineReader
    let sink: RecordingTerminalSink
    let errors: FileOutput
    let renderer: TerminalRenderer
    /// Writes the session as a notebook (`:save FILE.nb`); provided by the executable.
    public var saveNotebook: ((_ path: String, _ entries: [Entry]) throws -> String)?
    /// Runs a notebook into the session (`:load FILE.nb`); provided by the executable.
    public var loadNotebook: ((_ path: String) -> Bool)?
    /// The statements that succeeded, in order.
    public private(set) var entries: [Entry] = []
    var reportsTime = false
    private var entryNumber = 0
    private var failures = 0
    var quitRequested = false

    /// The prompt's own commands.
    public static let colonCommands = [":help", ":vars", ":reset", ":time", ":memory", ":save", ":load", ":quit"]

    /// A prompt over a session whose sink is `sink`.
    public init(session: Session, reader: any LineReader, sink: RecordingTerminalSink,
                errorOutput: FileOutput = FileOutput(fileDescriptor: 2),
                errorCapabilities: TerminalCapabilities = .detect(fileDescriptor: 2)) {
        self.session = session
        self.reader = reader
        self.sink = sink
        errors = errorOutput
        renderer = TerminalRenderer(capabilities: errorCapabilities)
        reportsTime = false
    }

    /// Runs until end of input or `:quit`; returns the exit code (non-zero when input came from a
    /// pipe and a statement failed).
    public func run(version: String) -> Int32 {
        if reader.isInteractive {
            sink.write("tensorbook \(version) — help lists what you can use, :help the prompt's own commands, Ctrl-D exits.\n")
        }
        var buffer = ""
        var interruptedAtEmptyPrompt = false
        while !quitRequested {
            switch reader.readLine(prompt: buffer.isEmpty ? "> " : "... ") {
            case .endOfInput:
                if !buffer.isEmpty { execute(buffer) }
                if reader.isInteractive { sink.write("\n") }
                reader.saveHistory()
                return reader.isInteractive || failures == 0 ? 0 : 65
            case .interrupted:
                if buffer.isEmpty && interruptedAtEmptyPrompt {
                    sink.write("\n")
                    reader.saveHistory()
                    return 0
                }
                interruptedAtEmptyPrompt = buffer.isEmpty
                buffer = ""
                if reader.isInteractive { sink.write("\n(Ctrl-C again or Ctrl-D to exit)\n") }
            case .line(let line):
                interruptedAtEmptyPrompt = false
                if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                    reader.addToHistory(line)
                    runColonCommand(line.trimmingCharacters(in: .whitespaces))
                    continue
                }
                if !buffer.isEmpty && Self.startsAnotherStatement(line) && isOpenBlock(buffer) {
                    // A line back at the margin ends the block before it (a pipe has no blank lines to do it).
                    finish(buffer)
                    buffer = ""
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                if case .incomplete = session.completeness(of: buffer, interactive: true) { continue }
                finish(buffer)
                buffer = ""
            }
        }
        reader.saveHistory()
        return 0
    }

    /// Remembers an entry in the history and runs it.
    private func finish(_ entry: String) {
        reader.addToHistory(entry)
        execute(entry)
    }

    /// Whether `buffer` is a complete block that stays open only for more lines of its own.
    private func isOpenBlock(_ buffer: String) -> Bool {
        session.completeness(of: buffer, interactive: false) == .complete
            && session.completeness(of: buffer, interactive: true) != .complete
    }

    /// A line at the margin that cannot continue a block (`else:` and `elif` can).
    static func startsAnotherStatement(_ line: String) -> Bool {
        guard let first = line.first, first != " ", first != "\t", first != "#" else { return false }
        let word = line.prefix { $0.isLetter || $0 == "_" }
        return word != "else" && word != "elif"
    }

    /// Runs one complete entry, reporting errors and (with `:time on`) the wall time.
    func execute(_ text: String) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        entryNumber += 1
        sink.startRecording()
        let start = Date(), batchesBefore = session.context.engine.trainingBatchesRun
        let diagnostics = session.run(SourceFile(name: "<input \(entryNumber)>", text: text))
        let outputs = sink.stopRecording()
        let wasInterrupted = session.context.engine.isInterrupted
        if reportsTime { sink.write("(\(Progress.format(Float(Date().timeIntervalSince(start)), digits: 2)) s)\n") }
        sink.clearLiveLine()
        for diagnostic in diagnostics { errors.write(renderer.render(diagnostic)) }
        if diagnostics.contains(where: { $0.severity == .error }) { failures += 1 } else {
            entries.append(Entry(source: text, outputs: outputs, wasInterrupted: wasInterrupted,
                                 trainingBatches: session.context.engine.trainingBatchesRun - batchesBefore))
        }
    }
}
