extension NotebookDocument {
    /// One statement typed at the prompt, as `:save` keeps it.
    public struct SavedStatement: Sendable {
        /// The code.
        public var source: String
        /// What it showed, machine-independent (no wall-clock figures).
        public var output: String
        /// Whether Ctrl-C stopped it.
        public var wasInterrupted: Bool
        /// Training batches it ran (for an interrupted statement, where a rerun must stop).
        public var trainingBatches: Int

        /// A statement and its output.
        public init(source: String, output: String, wasInterrupted: Bool = false, trainingBatches: Int = 0) {
            (self.source, self.output, self.wasInterrupted, self.trainingBatches) = (source, output, wasInterrupted, trainingBatches)
        }
    }

    /// A notebook of statements typed at the prompt (`:save FILE.nb`): one cell per statement,
    /// each followed by what it showed. A training stopped by Ctrl-C is a cell fenced
    /// `stopped-after-batches=N`, so a rerun stops where it did; anything else Ctrl-C stopped
    /// cannot be replayed and is kept as prose. `path` goes into the line saying how to run it.
    public static func savedSession(_ statements: [SavedStatement], path: String, header: Header) throws(NotebookError) -> NotebookDocument {
        var text = "# tensorbook session\n\nSaved from the prompt; run it with: tensorbook run \(path)\n"
        var outputs: [String] = []
        for statement in statements {
            if statement.wasInterrupted && statement.trainingBatches == 0 {
                text += "\nThis was stopped by Ctrl-C, so it is kept here but not run:\n\n```text\n\(statement.source)\n```\n"
                continue
            }
            let fence = statement.wasInterrupted ? "```nb stopped-after-batches=\(statement.trainingBatches)" : "```nb"
            text += "\n\(fence)\n\(statement.source)\n```\n"
            outputs.append(statement.output)
        }
        return try NotebookDocument(parsing: text).recording(outputs, header: header)
    }
}
