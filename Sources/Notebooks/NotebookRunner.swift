import Diagnostics
import Dispatch
import Display
import Language
import Synchronization

/// What running one cell produced.
public struct CellResult: Sendable {
    /// 0-based cell index.
    public var index: Int
    /// Everything the cell showed (live progress left out).
    public var outputs: [DisplayValue]
    public var diagnostics: [Diagnostic]
    /// Whether the cell ran (false when skipped or not selected).
    public var ran: Bool
    /// The text an output block records: outputs in plain form, then any errors located by cell
    /// ("cell 3:2:20") rather than by file line, so that recording — which moves later cells
    /// down the file — does not change what it records.
    public var recordedText = ""

    /// Whether the cell reported an error.
    public var hasError: Bool { diagnostics.contains { $0.severity == .error } }
    /// Whether the cell went wrong: an error, or no error where one was expected.
    public var failed: Bool { missingExpectedError || (expectsError ? !hasError : hasError) }
    /// The cell was marked `expect-error` but ran without one (its diagnostics then hold that complaint).
    public var missingExpectedError = false
    /// The cell was marked `expect-error`.
    public var expectsError = false
    /// The diagnostics located by cell ("cell 3:2:20"), as the output block records them.
    public var cellDiagnostics: [Diagnostic] = []

    /// A result of what was shown.
    init(index: Int, outputs: [DisplayValue], diagnostics: [Diagnostic], ran: Bool, expectsError: Bool = false) {
        (self.index, self.outputs, self.diagnostics, self.ran, self.expectsError) = (index, outputs, diagnostics, ran, expectsError)
    }

    /// The result of cell `index` as a notebook recorded it (`export --recorded`, `compare`).
    public init(index: Int, recordedText: String, ran: Bool) {
        self.init(index: index, outputs: [], diagnostics: [], ran: ran)
        self.recordedText = recordedText
    }
}

/// Which cells to run and what to do on an error.
public struct NotebookRunOptions: Sendable {
    /// Run on after a failing cell.
    public var keepGoing = false
    /// Run only this 1-based cell.
    public var onlyCell: Int?
    /// Run cells 1…N only.
    public var untilCell: Int?
    /// Stop a cell that runs longer than this many seconds (an endless `while`), as an error.
    public var timeout: Int?

    public init(keepGoing: Bool = false, onlyCell: Int? = nil, untilCell: Int? = nil, timeout: Int? = nil) {
        self.keepGoing = keepGoing
        self.onlyCell = onlyCell
        self.untilCell = untilCell
        self.timeout = timeout
    }

    func selects(_ number: Int) -> Bool {
        if let onlyCell { return number == onlyCell }
        if let untilCell { return number <= untilCell }
        return true
    }
}

/// Runs a notebook's cells in order in one interpreter session. Diagnostics name lines of the
/// notebook file (each cell's source starts at its fence line + 1).
public final class NotebookRunner {
    let session: Session
    private let capture: CellCaptureSink

    /// A runner over `session`; whatever it shows also goes to `display` (the terminal) if given.
    public init(session: Session, display: (any DisplaySink)?) {
        self.session = session
        capture = CellCaptureSink(forwardingTo: display)
    }

    /// Runs the selected cells; `beforeCell` may skip a cell (return false). Stops after the first
    /// failing cell unless `keepGoing`.
    public func run(
        _ document: NotebookDocument, path: String, options: NotebookRunOptions = NotebookRunOptions(),
        beforeCell: (Int, NotebookDocument.Cell) -> Bool = { _, _ in true }, afterCell: (CellResult) -> Void = { _ in }
    ) -> [CellResult] {
        var results: [CellResult] = []
        let numbers = cellNumbers(document, path: path)
        for (index, cell) in document.cells.enumerated() {
            guard options.selects(index + 1), beforeCell(index, cell) else {
                results.append(CellResult(index: index, outputs: [], diagnostics: [], ran: false))
                continue
            }
            capture.start()
            let timer = options.timeout.map { CellTimer(seconds: $0, engine: session.context.engine) }
            session.context.engine.stopTraining(afterBatches: cell.stoppedAfterBatches)
            var diagnostics = session.run(SourceFile(name: path, text: cell.source, firstLine: cell.fenceLine + 1), sink: capture)
            session.context.engine.stopTraining(afterBatches: nil)
            if let timer, timer.stop(), !diagnostics.contains(where: { $0.severity == .error }) {
                diagnostics.append(Diagnostic("cell \(index + 1) ran longer than --timeout \(timer.seconds) s and was stopped", at: nil,
                                              kind: .interrupted, hint: "a loop that never ends? raise --timeout for a long training cell"))
            }
            let missingError = cell.expectsError && !diagnostics.contains(where: { $0.severity == .error })
            if missingError {
                diagnostics = [Diagnostic("cell \(index + 1) is marked expect-error but ran without an error", at: nil,
                                          hint: "fix the cell, or remove expect-error from its fence")]
            }
            let outputs = capture.finish()
            var result = CellResult(index: index, outputs: outputs, diagnostics: diagnostics, ran: true, expectsError: cell.expectsError)
            result.missingExpectedError = missingError
            result.recordedText = Self.recordedText(outputs, diagnostics, cellNumbers: numbers)
            result.cellDiagnostics = diagnostics.map { Self.rebased($0, numbers) }
            results.append(result)
            afterCell(result)
            if result.failed && !options.keepGoing { break }
        }
        return results
    }
}

extension NotebookRunner {
    /// Cell number by the file line its source starts on.
    func cellNumbers(_ document: NotebookDocument, path: String) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: document.cells.enumerated().map { ($1.fenceLine + 1, $0 + 1) })
    }

    static func recordedText(_ outputs: [DisplayValue], _ diagnostics: [Diagnostic], cellNumbers: [Int: Int]) -> String {
        let shown = outputs.map { $0.plainText(showsTimings: false) }.filter { !$0.isEmpty }
        let errors = diagnostics.map { DiagnosticRenderer(color: false).render(rebased($0, cellNumbers)).trimmingTrailingNewlines() }
        return (shown + errors).joined(separator: "\n")
    }

    /// The diagnostic with every location inside a notebook cell renamed to "cell N", lines counted within the cell.
    static func rebased(_ diagnostic: Diagnostic, _ cellNumbers: [Int: Int]) -> Diagnostic {
        func rebase(_ span: SourceSpan?) -> SourceSpan? {
            guard let span, let number = cellNumbers[span.source.firstLine] else { return span }
            return SourceSpan(source: SourceFile(name: "cell \(number)", text: span.source.text), start: span.start, end: span.end)
        }
        var copy = diagnostic
        copy.span = rebase(diagnostic.span)
        copy.notes = diagnostic.notes.map { Diagnostic.Note($0.message, span: rebase($0.span)) }
        return copy
    }
}

/// Asks the engine to stop a cell after `seconds`; `stop()` disarms it and tells whether it fired.
final class CellTimer: @unchecked Sendable {
    private final class Flag: Sendable {
        let fired = Atomic<Bool>(false)
    }

    let seconds: Int
    private let flag = Flag()
    private let work: DispatchWorkItem

    init(seconds: Int, engine: any EngineHooks) {
        self.seconds = seconds
        let flag = self.flag
        work = DispatchWorkItem {
            flag.fired.store(true, ordering: .relaxed)
            engine.requestInterruption(timeout: seconds)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds), execute: work)
    }

    /// Disarms the timer; true when it had already fired.
    func stop() -> Bool {
        work.cancel()
        return flag.fired.load(ordering: .relaxed)
    }
}

/// Keeps what one cell shows (no live progress) and passes everything on to the terminal.
final class CellCaptureSink: DisplaySink, @unchecked Sendable {
    private let forward: (any DisplaySink)?
    private var captured: [DisplayValue] = []

    init(forwardingTo forward: (any DisplaySink)?) {
        self.forward = forward
    }

    func emit(_ value: DisplayValue) {
        forward?.emit(value)
        if value == .clearOutput { return captured.removeAll() }
        if case .progress(let progress) = value,
           !progress.isEpochSummary || !Progress.isReportedEpoch(progress.epoch, of: progress.epochs) { return }
        captured.append(value)
    }

    func start() { captured = [] }

    func finish() -> [DisplayValue] {
        defer { captured = [] }
        return captured.mergingStreams()
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
