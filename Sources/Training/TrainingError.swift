/// Why training or evaluation cannot go on: data that does not fit the model, a loss that is
/// not a number. The model is left as it was after the last completed step.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    /// What happened, with epoch and batch where relevant.
    public var message: String
    /// A likely fix.
    public var hint: String?
    /// Epochs completed before the problem (for a NaN loss mid-run).
    public var completedEpochs: [EpochSummary] = []

    /// Creates an error.
    public init(_ message: String, hint: String? = nil, completedEpochs: [EpochSummary] = []) {
        self.message = message
        self.hint = hint
        self.completedEpochs = completedEpochs
    }

    /// The message, then the hint on its own line.
    public var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}
