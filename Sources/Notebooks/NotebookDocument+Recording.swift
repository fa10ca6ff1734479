import Foundation

extension NotebookDocument {
    /// The header comment `--record` writes: which tensorbook and which seed produced the outputs.
    public struct Header: Equatable, Sendable {
        public var version: String
        public var seed: String

        public init(version: String, seed: String) {
            self.version = version
            self.seed = seed
        }

        /// `<!-- tensorbook 0.1.0; seed none -->`
        public var line: String { "<!-- tensorbook \(version); seed \(seed) -->" }

        /// `text` without a header line at its start (what a reader of the prose should see).
        public static func removed(from text: String) -> String {
            guard Header(in: text) != nil, let end = text.range(of: " -->") else { return text }
            return String(text[end.upperBound...])
        }

        /// The header at the start of a notebook's text, if it has one.
        public init?(in text: String) {
            guard text.hasPrefix("<!-- tensorbook "), let end = text.range(of: " -->") else { return nil }
            let fields = text[text.index(text.startIndex, offsetBy: 16)..<end.lowerBound].split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 2, fields[1].hasPrefix("seed ") else { return nil }
            version = fields[0]
            seed = String(fields[1].dropFirst(5))
        }
    }

    /// The notebook with each cell's output block replaced by `outputs[i]` (inserted when missing,
    /// removed when the new output is empty) and the header set. Prose and code stay byte for byte.
    public func recording(_ outputs: [String], header: Header) -> NotebookDocument {
        var result: [Segment] = []
        var cellIndex = 0
        var skip = Set<Int>()
        for (index, segment) in segments.enumerated() where !skip.contains(index) {
            result.append(segment)
            guard case .cell(let cell) = segment else { continue }
            defer { cellIndex += 1 }
            let existing = outputFollowing(segmentIndex: index)
            let text = cellIndex < outputs.count ? outputs[cellIndex] : nil
            if let existing {
                // Keep the blank lines between cell and output; replace or drop the block itself.
                for between in (index + 1)..<existing { result.append(segments[between]); skip.insert(between) }
                skip.insert(existing)
                if let text, !text.isEmpty { result.append(.output(Self.outputBlock(text, lineEnding: cell.lineEnding))) }
                else if text == nil { result.append(segments[existing]) }
            } else if let text, !text.isEmpty {
                result.append(.prose(cell.lineEnding))
                result.append(.output(Self.outputBlock(text, lineEnding: cell.lineEnding)))
            }
        }
        var document = NotebookDocument(segments: result)
        document.setHeader(header)
        return document
    }

    /// A fenced output block; the fence is longer than any backtick run inside.
    static func outputBlock(_ text: String, lineEnding: String) -> Output {
        let lines: [Substring] = text.split(separator: "\n", omittingEmptySubsequences: false)
        let longestRun = lines.map { (line: Substring) -> Int in line.prefix { $0 == "`" }.count }.max() ?? 0
        let fence = String(repeating: "`", count: max(3, longestRun + 1))
        let body = lines.map(String.init).joined(separator: lineEnding)
        return Output(raw: fence + "output" + lineEnding + body + lineEnding + fence + lineEnding, content: text, fenceLine: 0)
    }

    private mutating func setHeader(_ header: Header) {
        if case .prose(let text)? = segments.first, Header(in: text) != nil, let end = text.range(of: " -->") {
            segments[0] = .prose(header.line + text[end.upperBound...])
        } else {
            let ending = cells.first?.lineEnding ?? "\n"
            segments.insert(.prose(header.line + ending), at: 0)
        }
    }

    /// Writes the notebook to `path` atomically, through a link to its target and keeping its mode
    /// (`FileReplacement`); with `original`, only if the file still holds those bytes.
    @discardableResult
    public func write(to path: String, unlessChangedFrom original: Data? = nil) throws(FileWriteError) -> FileReplacement.Outcome {
        try FileReplacement.write(Data(text.utf8), to: path, unlessChangedFrom: original)
    }
}
