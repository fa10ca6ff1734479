import Display
import Terminal

/// The REPL's sink: shows everything on the terminal and, while a statement runs, also keeps
/// what it showed (live progress left out) so `:save` can write it into a notebook.
public final class RecordingTerminalSink: DisplaySink, @unchecked Sendable {
    private let terminal: TerminalSink
    private var recorded: [DisplayValue]?

    /// A sink drawing on `terminal`.
    public init(terminal: TerminalSink) {
        self.terminal = terminal
    }

    public func emit(_ value: DisplayValue) {
        terminal.emit(value)
        if value == .clearOutput, recorded != nil { return recorded = [] }
        if case .progress(let progress) = value, !progress.isEpochSummary { return }
        recorded?.append(value)
    }

    /// Writes text directly (banner, prompts' side messages).
    func write(_ text: String) {
        terminal.clearLiveLine()
        terminal.write(text)
    }

    func clearLiveLine() { terminal.clearLiveLine() }

    /// Starts keeping what is shown.
    func startRecording() { recorded = [] }

    /// Stops keeping and returns what was shown since `startRecording`.
    func stopRecording() -> [DisplayValue] {
        defer { recorded = nil }
        return (recorded ?? []).mergingStreams()
    }

    /// Whether timings appear in output.
    func setTiming(_ on: Bool) { terminal.showsTimings = on }
}

