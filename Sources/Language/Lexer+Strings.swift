import Diagnostics

extension Lexer {
    private static let escapes: [UInt8: UInt8] = [
        UInt8(ascii: "n"): 10, UInt8(ascii: "t"): 9, UInt8(ascii: "r"): 13, UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7,
        UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "v"): 11,
        UInt8(ascii: "\\"): 92, UInt8(ascii: "\""): 34, UInt8(ascii: "'"): 39,
    ]

    /// The escape sequence at `position` (a backslash) as Python reads it: the one-letter escapes,
    /// `\xHH`, `\uHHHH` and `\UHHHHHHHH`; any other backslash stays in the string, as in Python.
    /// Moves past it; a malformed hex escape is an error at its place.
    private mutating func scanEscape(into value: inout [UInt8]) {
        let letter = bytes[position + 1]
        if let byte = Self.escapes[letter] {
            value.append(byte)
            position += 2
            return
        }
        let digits = letter == UInt8(ascii: "x") ? 2 : letter == UInt8(ascii: "u") ? 4 : letter == UInt8(ascii: "U") ? 8 : 0
        guard digits > 0 else {
            value.append(UInt8(ascii: "\\"))  // "\d" stays "\d", as Python keeps unknown escapes
            position += 1
            return
        }
        let hex = position + 2 < limit ? bytes[(position + 2)..<min(limit, position + 2 + digits)] : []
        let text = String(decoding: hex, as: UTF8.self)
        guard hex.count == digits, hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }),
              let code = UInt32(text, radix: 16), let scalar = Unicode.Scalar(code) else {
            let name = "\\" + String(UnicodeScalar(letter))
            diagnostics.append(Diagnostic("\(name) must be followed by \(digits) hex digits naming a character", at: SourceSpan(source: source, start: position, end: min(limit, position + 2 + digits)),
                                          kind: .syntax, hint: "for example \"\\x41\" or \"\\u00e9\"; write \\\\ for a backslash"))
            position += 2
            return
        }
        value += Array(String(Character(scalar)).utf8)
        position += 2 + digits
    }

    /// A string in `quote`s, or in three of them (`"""…"""`, which may span lines, as Python's
    /// docstrings); escapes are resolved as Python resolves them (`scanEscape`).
    mutating func scanString(quote: UInt8, start: Int) {
        if position + 1 < limit && bytes[position] == quote && bytes[position + 1] == quote {
            position += 2
            return scanTripleQuotedString(quote: quote, start: start)
        }
        var value: [UInt8] = []
        while position < limit && bytes[position] != quote {
            if bytes[position] == UInt8(ascii: "\\") && position + 1 < limit {
                scanEscape(into: &value)
            } else {
                value.append(bytes[position])
                position += 1
            }
        }
        guard position < limit else { return unclosedString(quote: quote, start: start) }
        position += 1
        add(.string(String(decoding: value, as: UTF8.self)), from: start, to: position)
    }

    private mutating func scanTripleQuotedString(quote: UInt8, start: Int) {
        var value: [UInt8] = []
        while position + 2 < limit && !(bytes[position] == quote && bytes[position + 1] == quote && bytes[position + 2] == quote) {
            if bytes[position] == UInt8(ascii: "\\") {
                scanEscape(into: &value)
            } else {
                value.append(bytes[position])
                position += 1
            }
        }
        guard position + 2 < limit else {
            position = limit
            let closing = String(repeating: quote == 34 ? "\"" : "'", count: 3)
            diagnostics.append(Diagnostic("this string is never closed", at: SourceSpan(source: source, start: start, end: start + 3),
                                          kind: .incompleteInput, hint: "end it with \(closing)"))
            return
        }
        position += 3
        add(.string(String(decoding: value, as: UTF8.self)), from: start, to: position)
    }

    private mutating func unclosedString(quote: UInt8, start: Int) {
        diagnostics.append(Diagnostic("this string is never closed", at: SourceSpan(source: source, start: start, end: start + 1),
                                      kind: .incompleteInput, hint: "end it with \(quote == 34 ? "\"" : "'")"))
    }

    /// `f"…{value:format}…"`, with the opening quote already read: text pieces and the byte
    /// ranges of the values (the parser parses those); `{{` and `}}` are literal braces.
    mutating func scanFormatString(quote: UInt8, start: Int) {
        var pieces: [FormatStringPiece] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { pieces.append(.text(String(decoding: text, as: UTF8.self))) }
            text = []
        }
        while position < limit && bytes[position] != quote {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") && position + 1 < limit {
                scanEscape(into: &text)
            } else if (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")) && peek(1) == byte {
                text.append(byte)
                position += 2
            } else if byte == UInt8(ascii: "{") {
                flush()
                guard let piece = scanFormatValue(quote: quote) else { return skipFormatString(quote: quote, start: start) }
                if case .value(let valueStart, let valueEnd, let format) = piece, let equals = selfDocumentingEquals(valueStart, valueEnd) {
                    // `{x=}` prints "x=" and then x, as Python 3.8's self-documenting expressions.
                    pieces.append(.text(source.text(from: valueStart, to: valueEnd)))
                    pieces.append(.value(start: valueStart, end: equals, format: format ?? Interpreter.printedForm))
                } else {
                    pieces.append(piece)
                }
            } else if byte == UInt8(ascii: "}") {
                diagnostics.append(Diagnostic("a single '}' in an f-string", at: SourceSpan(source: source, start: position, end: position + 1),
                                              kind: .syntax, hint: "write }} for a literal brace"))
                position += 1
            } else {
                text.append(byte)
                position += 1
            }
        }
        guard position < limit else { return unclosedString(quote: quote, start: start) }
        position += 1
        flush()
        add(.formatString(pieces), from: start, to: position)
    }

    /// Where the `=` of `{x=}` (or `{x = }`) is: a final `=` that is not part of `==`, `!=`, `<=`, `>=`.
    private func selfDocumentingEquals(_ start: Int, _ end: Int) -> Int? {
        var last = end - 1
        while last > start && (bytes[last] == UInt8(ascii: " ")) { last -= 1 }
        guard last > start, bytes[last] == UInt8(ascii: "=") else { return nil }
        let before = bytes[last - 1]
        return [UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">")].contains(before) ? nil : last
    }

    /// `{value}` or `{value:format}` starting at the `{`: the value's byte range and the format.
    /// Brackets and strings inside the value may hold `:` and `}`.
    private mutating func scanFormatValue(quote: UInt8) -> FormatStringPiece? {
        let open = position
        position += 1
        var depth = 0, colon: Int?
        while position < limit && bytes[position] != quote {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                position += 1
                while position < limit && bytes[position] != byte && bytes[position] != quote { position += 1 }
                if position < limit && bytes[position] == quote { continue }
            case UInt8(ascii: ":") where depth == 0 && colon == nil: colon = position
            case UInt8(ascii: "}") where depth <= 0:
                let valueEnd = colon ?? position
                let format = colon.map { source.text(from: $0 + 1, to: position) }
                position += 1
                guard source.text(from: open + 1, to: valueEnd).contains(where: { !$0.isWhitespace }) else {
                    diagnostics.append(Diagnostic("empty {} in an f-string", at: SourceSpan(source: source, start: open, end: position), kind: .syntax,
                                                  hint: "put a value inside, e.g. {loss}, or write {{ for a literal brace"))
                    return .text("")
                }
                return .value(start: open + 1, end: valueEnd, format: format)
            default: break
            }
            if position < limit { position += 1 }
        }
        diagnostics.append(Diagnostic("'{' in an f-string is never closed", at: SourceSpan(source: source, start: open, end: open + 1),
                                      kind: .syntax, hint: "close it with }, or write {{ for a literal brace"))
        return nil
    }

    /// After a broken value: skip to the end of the string so the rest of the line lexes normally.
    private mutating func skipFormatString(quote: UInt8, start: Int) {
        while position < limit && bytes[position] != quote { position += 1 }
        if position < limit { position += 1 }
    }
}
