import Diagnostics

/// A `.nb` notebook: Markdown where fenced blocks with info string `nb` are code cells and a
/// fenced block with info string `output` right after a cell (blank lines between allowed) holds
/// that cell's recorded output. Everything else is prose. Each segment keeps its exact text, so
/// printing an unchanged notebook gives back the same bytes.
public struct NotebookDocument: Sendable, Equatable {
    /// A code cell.
    public struct Cell: Sendable, Equatable {
        /// The whole fenced block as written, fences and line endings included.
        public var raw: String
        /// The code between the fences (line endings normalised to \n).
        public var source: String
        /// File line of the opening fence (1-based).
        public var fenceLine: Int
        /// Line ending used by this cell ("\n" or "\r\n").
        public var lineEnding: String
        /// Fenced as ```nb expect-error: the cell demonstrates a mistake, so its error is its
        /// output and the run goes on (running without error is then the failure).
        public var expectsError = false
        /// Fenced as ```nb tolerance=5%: in `--check` this cell's numbers may differ from the
        /// recording by that fraction (for training results, whose later digits follow the CPU's
        /// BLAS kernel); nil means the run's default.
        public var tolerance: Double? = nil
        /// Fenced as ```nb parameters: the cell papermill overrides (exported with the
        /// `parameters` tag; papermill puts its injected assignments after it).
        public var holdsParameters = false
        /// Fenced as ```nb sample: the output is a random sample (generated text), which follows
        /// the last bit of every weight; `--check` compares only its length in characters.
        public var isSample = false
        /// Fenced as ```nb stopped-after-batches=637: when recorded, the cell was stopped (Ctrl-C)
        /// after that many training batches; a rerun stops training at the same batch, as the
        /// Ctrl-C did, so the outputs and the model match the recording.
        public var stoppedAfterBatches: Int? = nil
    }

    /// A recorded output block.
    public struct Output: Sendable, Equatable {
        /// The whole fenced block as written.
        public var raw: String
        /// The text between the fences (line endings normalised to \n).
        public var content: String
        /// File line of the opening fence.
        public var fenceLine: Int
    }

    /// A piece of the file, in order.
    public enum Segment: Sendable, Equatable {
        case prose(String)
        case cell(Cell)
        case output(Output)

        /// The exact text of this segment.
        public var raw: String {
            switch self {
            case .prose(let text): text
            case .cell(let cell): cell.raw
            case .output(let output): output.raw
            }
        }
    }

    public var segments: [Segment]

    /// The notebook as text, byte for byte.
    public var text: String { segments.map(\.raw).joined() }

    /// The code cells, in order.
    public var cells: [Cell] {
        segments.compactMap { if case .cell(let cell) = $0 { cell } else { nil } }
    }

    /// For each cell, its recorded output (nil when it has none).
    public var recordedOutputs: [Output?] {
        var result: [Output?] = []
        for (index, segment) in segments.enumerated() {
            guard case .cell = segment else { continue }
            result.append(outputFollowing(segmentIndex: index).map { if case .output(let output) = segments[$0] { output } else { nil } } ?? nil)
        }
        return result
    }

    /// The index of the output segment belonging to the cell at `segmentIndex`, if any: the next
    /// segment, or the one after a prose segment of blank lines only.
    func outputFollowing(segmentIndex: Int) -> Int? {
        var next = segmentIndex + 1
        if next < segments.count, case .prose(let text) = segments[next], text.allSatisfy(\.isWhitespace) { next += 1 }
        if next < segments.count, case .output = segments[next] { return next }
        return nil
    }

    /// The prose before each cell (since the previous cell's output), for `--step`.
    public var proseBeforeCells: [String] {
        var result: [String] = [], pending = ""
        for segment in segments {
            switch segment {
            case .prose(let text): pending += text
            case .cell: result.append(pending); pending = ""
            case .output: pending = ""
            }
        }
        return result
    }
}

/// A notebook file that cannot be read as one.
public struct NotebookError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var hint: String?

    public init(_ message: String, line: Int? = nil, hint: String? = nil) {
        self.message = message
        self.line = line
        self.hint = hint
    }

    public var description: String { message }

    /// As a diagnostic pointing at the line.
    public func diagnostic(in source: SourceFile) -> Diagnostic {
        guard let line else { return Diagnostic(message, at: nil, kind: .syntax, hint: hint) }
        let offset = source.offsetOfLine(line)
        return Diagnostic(message, at: SourceSpan(source: source, start: offset, end: offset + source.lineText(containing: offset).utf8.count),
                          kind: .syntax, hint: hint)
    }
}

extension SourceFile {
    /// Byte offset of the start of a 1-based line of this text.
    func offsetOfLine(_ line: Int) -> Int {
        var current = 1, offset = 0
        for (index, byte) in bytes.enumerated() where current < line && byte == UInt8(ascii: "\n") {
            current += 1
            offset = index + 1
        }
        return offset
    }
}
