/// Turns diagnostics into text: `file:line:col: error: message`, the source line, a caret
/// underline, notes and a hint — the one place that formats errors. Colour only when asked.
public struct DiagnosticRenderer: Sendable {
    /// Whether to emit ANSI colours (the caller decides: a TTY without NO_COLOR).
    public var color: Bool

    /// A renderer.
    public init(color: Bool) {
        self.color = color
    }

    /// The full text of one diagnostic, ending with a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var diagnostic = diagnostic
        diagnostic.message = Self.shortened(diagnostic.message)
        diagnostic.hint = diagnostic.hint.map(Self.shortened)
        var lines: [String] = []
        let label = paint(diagnostic.severity.rawValue + ":", diagnostic.severity == .error ? "1;31" : "1;33")
        if let span = diagnostic.span {
            lines.append("\(paint(span.locationDescription + ":", "1")) \(label) \(paint(diagnostic.message, "1"))")
            lines += excerpt(span)
        } else {
            lines.append("\(label) \(paint(diagnostic.message, "1"))")
        }
        for note in diagnostic.notes {
            if let span = note.span {
                lines.append("\(paint(span.locationDescription + ":", "1")) \(paint("note:", "1;36")) \(note.message)")
                lines += excerpt(span)
            } else {
                lines.append("\(paint("note:", "1;36")) \(note.message)")
            }
        }
        if let hint = diagnostic.hint {
            lines.append("\(paint("hint:", "1;32")) \(hint)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The line of `span` with its number in a gutter and a caret underline.
    private func excerpt(_ span: SourceSpan) -> [String] {
        let (line, column) = span.source.location(of: span.start)
        let text = String(span.source.lineText(containing: span.start).map { $0 == "\t" ? " " : $0 })
        let gutter = String(line)
        let blank = String(repeating: " ", count: gutter.count)
        let lineEnd = column - 1 + text.count
        let endColumn = span.end > span.start ? span.source.location(of: span.end).column : column + 1
        let sameLine = span.source.location(of: span.end).line == line
        let width = max(1, (sameLine ? endColumn : lineEnd + 2) - column)
        let (shown, caretColumn) = Self.window(of: text, around: column)
        let caretWidth = min(width, max(1, shown.count + 2 - caretColumn))
        let caret = String(repeating: " ", count: caretColumn - 1) + "^" + String(repeating: "~", count: max(0, caretWidth - 1))
        return ["\(blank) \(paint("|", "34"))", "\(paint(gutter, "34")) \(paint("|", "34")) \(shown)",
                "\(blank) \(paint("|", "34")) \(paint(caret, "1;31"))"]
    }

    /// The longest message or hint shown whole: one that quotes a 1M-character name is cut.
    static let longestMessage = 1000

    /// `text` cut to `longestMessage` characters, with how much was left out.
    static func shortened(_ text: String) -> String {
        guard text.utf8.count > longestMessage, text.count > longestMessage else { return text }
        return String(text.prefix(longestMessage)) + "… (\(text.count - longestMessage) more characters)"
    }

    /// The widest source line an excerpt shows whole; a longer one is cut around the caret.
    public static let widestLine = 120

    /// `line` cut to `widestLine` characters around `column` (with … where it was cut), and the
    /// caret's column in what is shown.
    static func window(of line: String, around column: Int) -> (text: String, column: Int) {
        let characters = Array(line)
        guard characters.count > widestLine else { return (line, column) }
        let before = 40, span = widestLine - 2
        let start = max(0, min(column - 1 - before, characters.count - span))
        let end = min(characters.count, start + span)
        let text = (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
        return (text, column - start + (start > 0 ? 1 : 0))
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
