/// A piece of source text with a name, e.g. a `.tb` file, a notebook cell, or one REPL entry.
/// `firstLine` places it inside a larger file (a notebook cell starting at line 12 reports its
/// own line 1 as line 12), so diagnostics always name the line of the file a person edits.
public final class SourceFile: Sendable {
    /// File name or a label such as "<repl>".
    public let name: String
    /// The text.
    public let text: String
    /// The file line of this text's first line (1 for a whole file).
    public let firstLine: Int
    /// UTF-8 bytes of the text (spans are byte offsets into these).
    public let bytes: [UInt8]
    /// Byte offset where each line starts.
    private let lineStarts: [Int]

    /// A source whose first line is line `firstLine` of the file called `name`.
    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The 0-based line index (within this text) containing a byte offset.
    func lineIndex(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// File line (1-based, including `firstLine`) and column (1-based, in characters) of an offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let index = lineIndex(of: min(max(offset, 0), bytes.count))
        let prefix = bytes[lineStarts[index]..<min(max(offset, lineStarts[index]), bytes.count)]
        return (firstLine + index, String(decoding: prefix, as: UTF8.self).count + 1)
    }

    /// The text of the line containing `offset`, without its newline.
    public func lineText(containing offset: Int) -> String {
        let index = lineIndex(of: min(max(offset, 0), bytes.count))
        let start = lineStarts[index]
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// The text between two byte offsets.
    public func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[max(0, start)..<min(max(start, end), bytes.count)], as: UTF8.self)
    }
}

/// A range of bytes in a source file: what a diagnostic underlines.
public struct SourceSpan: Sendable {
    /// The source the range belongs to.
    public let source: SourceFile
    /// First byte (inclusive).
    public let start: Int
    /// Last byte (exclusive).
    public let end: Int

    /// A span from `start` to `end` in `source`.
    public init(source: SourceFile, start: Int, end: Int) {
        self.source = source
        self.start = start
        self.end = max(start, end)
    }

    /// The span covering both.
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(source: source, start: min(start, other.start), end: max(end, other.end))
    }

    /// The spanned text.
    public var text: String { source.text(from: start, to: end) }

    /// "file:line:col".
    public var locationDescription: String {
        let (line, column) = source.location(of: start)
        return "\(source.name):\(line):\(column)"
    }
}
