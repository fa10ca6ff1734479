import Display
import Foundation

/// Shows interpreter output on standard output. On a terminal, training progress is one live
/// line redrawn in place (at most ten times a second) that ends as a summary line per epoch;
/// elsewhere only the epoch summaries appear (about ten of them for long runs).
public final class TerminalSink: DisplaySink, @unchecked Sendable {
    public let renderer: TerminalRenderer
    private let output: FileOutput
    /// Whether lines may include machine-dependent timings.
    public var showsTimings: Bool
    private var liveLineShown = false
    private var lastDraw = Date.distantPast
    /// Whether streamed text has left the cursor mid-line.
    private var streamOpen = false

    /// A sink writing to `output` with these capabilities.
    public init(capabilities: TerminalCapabilities = .detect(), output: FileOutput = FileOutput(fileDescriptor: 1), showsTimings: Bool) {
        renderer = TerminalRenderer(capabilities: capabilities)
        self.output = output
        self.showsTimings = showsTimings
    }

    public func emit(_ value: DisplayValue) {
        if case .stream(let piece, let isLast) = value {
            clearLiveLine()
            output.write(isLast ? piece + "\n" : piece)
            streamOpen = !isLast
            return
        }
        endStream()
        guard case .progress(let progress) = value else {
            clearLiveLine()
            let text = renderer.render(value, showsTimings: showsTimings)
            output.write(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
            return
        }
        if progress.isEpochSummary {
            clearLiveLine()
            if renderer.capabilities.isTerminal || Progress.isReportedEpoch(progress.epoch, of: progress.epochs) {
                output.write(progress.summaryLine(withTiming: showsTimings || renderer.capabilities.isTerminal) + "\n")
            }
        } else if renderer.capabilities.isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 || progress.batch == progress.batches {
            output.write("\r\u{1B}[2K" + renderer.progressLine(progress))
            liveLineShown = true
            lastDraw = Date()
        }
    }

    /// Ends a line that streamed text left open.
    private func endStream() {
        if streamOpen { output.write("\n") }
        streamOpen = false
    }

    /// Writes text as it is (banners, notes), after removing a live progress line.
    public func write(_ text: String) {
        endStream()
        clearLiveLine()
        output.write(text)
    }

    /// Removes a live progress line, if one is showing.
    public func clearLiveLine() {
        if liveLineShown {
            output.write("\r\u{1B}[2K")
            liveLineShown = false
        }
    }
}
