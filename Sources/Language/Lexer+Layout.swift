import Diagnostics

extension Lexer {
    /// Reads the spaces that start a line and opens or closes blocks. Blank and comment-only lines
    /// do not count; a tab is an error (its width is a matter of editor settings).
    mutating func measureIndentation() {
        let start = position
        var width = 0
        var tab: Int?
        while position < limit, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            if bytes[position] == UInt8(ascii: "\t") {
                tab = tab ?? position
                width += 4 - width % 4
            } else {
                width += 1
            }
            position += 1
        }
        guard position < limit, !Self.endsLine(peek(), peek(1)) else { return }
        if let tab {
            diagnostics.append(Diagnostic("a tab in the indentation", at: SourceSpan(source: source, start: tab, end: tab + 1), kind: .syntax,
                                          hint: "indent with spaces (4 per level); tabs look different in every editor"))
        }
        let current = indentation.last!
        if width > current {
            indentation.append(width)
            add(.indent, from: start, to: position)
        } else if width < current {
            let levels = indentation.map(String.init).joined(separator: " or ")
            while let innermost = indentation.last, innermost > width {
                indentation.removeLast()
                add(.dedent, from: position, to: position)
            }
            if indentation.last! != width {
                diagnostics.append(Diagnostic(
                    "this line is indented by \(width) space\(width == 1 ? "" : "s"), which matches no block around it", at: SourceSpan(source: source, start: start, end: position),
                    kind: .syntax, hint: "indent it like the lines it belongs with: \(levels) spaces"))
            }
        }
    }

    /// Whether a line has nothing that counts at this point: its end, or a comment.
    private static func endsLine(_ byte: UInt8, _ next: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "\r") && next == UInt8(ascii: "\n"))
    }
}
