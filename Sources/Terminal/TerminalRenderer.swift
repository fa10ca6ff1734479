import Diagnostics
import Display

/// Renders display values for a terminal: box-drawn tables, half-block images and coloured
/// plots when colour is available; the plain forms otherwise.
public struct TerminalRenderer: Sendable {
    public let capabilities: TerminalCapabilities

    /// A renderer for these capabilities.
    public init(capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
    }

    /// The text of one value (no trailing newline).
    public func render(_ value: DisplayValue, showsTimings: Bool) -> String {
        switch value {
        case .table(let table) where capabilities.isTerminal: TableLayout.render(table, boxed: true)
        case .images(let strip) where capabilities.color: ImageArt.render(strip, halfBlocks: true)
        case .plot(let plot) where capabilities.color: BrailleCanvas.render(plot, color: true)
        default: value.plainText(showsTimings: showsTimings)
        }
    }

    /// A diagnostic, coloured when colour is on.
    public func render(_ diagnostic: Diagnostic) -> String {
        DiagnosticRenderer(color: capabilities.color).render(diagnostic)
    }

    /// One live progress line: epoch, a bar, batch, loss, accuracy, examples/s and time left.
    public func progressLine(_ progress: Progress) -> String {
        let width = max(10, min(30, capabilities.width - 80))
        let fraction = Double(progress.batch) / Double(max(progress.batches, 1))
        let filled = Swift.min(width, Swift.max(0, Int(fraction * Double(width))))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let remaining = fraction > 0 ? progress.seconds * (1 - fraction) / fraction : 0
        var line = "epoch \(progress.epoch)/\(progress.epochs) \(bar) \(progress.batch)/\(progress.batches)"
        line += "  loss \(Progress.format(progress.loss, digits: 4))"
        if let perplexity = progress.perplexity { line += "  ppl \(Progress.format(perplexity, digits: 2))" }
        if let accuracy = progress.accuracy { line += "  acc \(Progress.format(accuracy * 100, digits: 1))%" }
        line += "  \(Progress.whole(progress.examplesPerSecond)) ex/s  ETA \(Progress.whole(remaining))s"
        return line
    }
}
