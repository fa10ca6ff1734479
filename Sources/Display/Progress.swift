/// Training progress, as the train command reports it.
public struct Progress: Sendable, Equatable {
    /// Where in the run.
    public var epoch: Int, epochs: Int, batch: Int, batches: Int
    /// Smoothed or running loss and accuracy.
    public var loss: Float
    public var accuracy: Float?
    /// exp(loss) for a language model, shown beside the loss.
    public var perplexity: Float?
    /// Examples per second and seconds elapsed in this epoch (machine-dependent).
    public var examplesPerSecond: Double
    public var seconds: Double
    /// True for the end of an epoch (a summary), false for a live batch update. A summary with
    /// `batches` > 0 is of an epoch that stopped after `batch` of them.
    public var isEpochSummary: Bool

    /// A progress report.
    public init(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Float, accuracy: Float?,
                examplesPerSecond: Double, seconds: Double, isEpochSummary: Bool, perplexity: Float? = nil) {
        (self.epoch, self.epochs, self.batch, self.batches) = (epoch, epochs, batch, batches)
        self.perplexity = perplexity
        (self.loss, self.accuracy, self.examplesPerSecond, self.seconds) = (loss, accuracy, examplesPerSecond, seconds)
        self.isEpochSummary = isEpochSummary
    }

    /// Whether an epoch's summary line belongs in non-live output: every epoch up to ten, beyond
    /// that about ten evenly spaced ones, the first and the last (DESIGN.md §4).
    public static func isReportedEpoch(_ epoch: Int, of epochs: Int) -> Bool {
        if epochs <= 10 || epoch == 1 || epoch == epochs { return true }
        let stride = (epochs + 9) / 10
        return epoch % stride == 0
    }

    /// "epoch 3/5  loss 0.1234  accuracy 96.10%" (with "perplexity 6.19" after the loss for a
    /// language model), plus time when asked (machine-dependent, so not in notebooks unless
    /// timing is on).
    public func summaryLine(withTiming: Bool) -> String {
        var line = "epoch \(epoch)/\(epochs)\(batches > 0 ? " (stopped at batch \(batch) of \(batches))" : "")  loss \(Self.format(loss, digits: 4))"
        if let perplexity { line += "  perplexity \(Self.format(perplexity, digits: 2))" }
        if let accuracy { line += "  accuracy \(Self.format(accuracy * 100, digits: 2))%" }
        if withTiming { line += "  \(Self.format(Float(seconds), digits: 2)) s  \(Self.whole(examplesPerSecond)) examples/s" }
        return line
    }

    /// A count or rate rounded to a whole number; "inf", "nan" or the exponent form past 2⁵³
    /// instead of a trap in the conversion to an integer.
    public static func whole(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e15 else { return value.isNaN ? "nan" : "\(value)" }
        return String(Int64(value.rounded()))
    }

    /// A fixed number of decimals; values too large for that (an exploding loss, 1e30) in
    /// exponent form rather than a trap in the conversion to an integer.
    public static func format(_ value: Float, digits: Int) -> String {
        guard value.isFinite, abs(Double(value)) < 1e12 else { return value.isNaN ? "nan" : "\(value)" }
        var scaled = Double(value)
        for _ in 0..<digits { scaled *= 10 }
        let rounded = scaled.rounded()
        let negative = rounded < 0
        var text = String(Int64(abs(rounded)))
        while text.count <= digits { text = "0" + text }
        if digits > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -digits)) }
        return (negative ? "-" : "") + text
    }
}
