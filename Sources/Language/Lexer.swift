import Diagnostics

/// Splits source text into tokens. Newlines end statements except inside brackets; `#` starts a
/// comment. Input that ends inside a bracket or a string is `incompleteInput` (the REPL then
/// reads another line); other problems are syntax errors. Lexing continues after an error.
public struct Lexer {
    private let source: SourceFile
    private let bytes: [UInt8]
    private var position = 0
    private var openers: [Token] = []
    public private(set) var tokens: [Token] = []
    public private(set) var diagnostics: [Diagnostic] = []

    /// Lexes all of `source`.
    public init(_ source: SourceFile) {
        self.source = source
        bytes = source.bytes
        while position < bytes.count { scanToken() }
        if let opener = openers.last {
            diagnostics.append(Diagnostic(
                "'\(opener.span.text)' is never closed", at: opener.span, kind: .incompleteInput,
                hint: "close it with '\(Self.closer(for: opener.kind))'"))
        }
        add(.newline, from: bytes.count, to: bytes.count)
        add(.end, from: bytes.count, to: bytes.count)
    }

    private static func closer(for kind: Token.Kind) -> String { kind == .leftParen ? ")" : "]" }

    private mutating func add(_ kind: Token.Kind, from start: Int, to end: Int) {
        tokens.append(Token(kind: kind, span: SourceSpan(source: source, start: start, end: end)))
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        position + offset < bytes.count ? bytes[position + offset] : 0
    }

    private mutating func scanToken() {
        let start = position
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): return
        case UInt8(ascii: "#"):
            while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
        case UInt8(ascii: "\n"):
            // Inside brackets a newline is just space; a repeated newline is one statement end.
            if openers.isEmpty && tokens.last.map({ $0.kind != .newline }) ?? false { add(.newline, from: start, to: position) }
        case UInt8(ascii: "\""), UInt8(ascii: "'"): scanString(quote: byte, start: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): scanNumber(start: start)
        case UInt8(ascii: "."):
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(peek()) { scanNumber(start: start) } else { add(.dot, from: start, to: position) }
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            while Self.isIdentifierByte(peek()) { position += 1 }
            add(.identifier(source.text(from: start, to: position)), from: start, to: position)
        default: scanPunctuation(byte, start: start)
        }
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private mutating func scanPunctuation(_ byte: UInt8, start: Int) {
        func two(_ next: Character, _ long: Token.Kind, _ short: Token.Kind) {
            if peek() == next.asciiValue! { position += 1; add(long, from: start, to: position) } else { add(short, from: start, to: position) }
        }
        switch byte {
        case UInt8(ascii: "+"): add(.plus, from: start, to: position)
        case UInt8(ascii: "-"): add(.minus, from: start, to: position)
        case UInt8(ascii: "*"): two("*", .power, .star)
        case UInt8(ascii: "/"): add(.slash, from: start, to: position)
        case UInt8(ascii: "@"): add(.at, from: start, to: position)
        case UInt8(ascii: "="): two("=", .equalEqual, .assign)
        case UInt8(ascii: "<"): two("=", .lessEqual, .less)
        case UInt8(ascii: ">"): two("=", .greaterEqual, .greater)
        case UInt8(ascii: ","): add(.comma, from: start, to: position)
        case UInt8(ascii: ":"): add(.colon, from: start, to: position)
        case UInt8(ascii: "!") where peek() == UInt8(ascii: "="):
            position += 1
            add(.notEqual, from: start, to: position)
        case UInt8(ascii: "("), UInt8(ascii: "["):
            add(byte == UInt8(ascii: "(") ? .leftParen : .leftBracket, from: start, to: position)
            openers.append(tokens.last!)
        case UInt8(ascii: ")"), UInt8(ascii: "]"): scanCloser(byte == UInt8(ascii: ")") ? .rightParen : .rightBracket, start: start)
        default: unexpectedCharacter(at: start)
        }
    }

    private mutating func scanCloser(_ kind: Token.Kind, start: Int) {
        add(kind, from: start, to: position)
        let closer = tokens.last!
        guard let opener = openers.last else {
            diagnostics.append(Diagnostic("'\(closer.span.text)' has no matching opening bracket", at: closer.span, kind: .syntax,
                                          hint: "remove it, or add the opening bracket it closes"))
            return
        }
        let expected: Token.Kind = opener.kind == .leftParen ? .rightParen : .rightBracket
        if kind != expected {
            diagnostics.append(Diagnostic(
                "'\(closer.span.text)' does not match '\(opener.span.text)'", at: closer.span, kind: .syntax,
                hint: "expected '\(Self.closer(for: opener.kind))'", notes: [.init("the bracket was opened here", span: opener.span)]))
        }
        openers.removeLast()
    }

    private mutating func unexpectedCharacter(at start: Int) {
        // Step over a whole UTF-8 character.
        while position < bytes.count && bytes[position] & 0xC0 == 0x80 { position += 1 }
        let span = SourceSpan(source: source, start: start, end: position)
        let character = span.text
        let hint = ["×": "use * to multiply", "÷": "use / to divide", "^": "use ** for powers", "“": "use straight quotes \"…\"",
                    "”": "use straight quotes \"…\"", "{": "lists use [ ]", "}": "lists use [ ]", ";": "put each statement on its own line",
                    "!": "use != for 'not equal'"][character]
        diagnostics.append(Diagnostic("unexpected character '\(character)'", at: span, kind: .syntax, hint: hint))
    }

    private mutating func scanNumber(start: Int) {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        while digits.contains(peek()) || peek() == UInt8(ascii: "_") { position += 1 }
        if peek() == UInt8(ascii: "."), digits.contains(peek(1)) || !Self.isIdentifierByte(peek(1)) {
            position += 1
            while digits.contains(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E"),
           digits.contains(peek(1)) || ((peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")) && digits.contains(peek(2))) {
            position += 2
            while digits.contains(peek()) { position += 1 }
        }
        let text = source.text(from: start, to: position).replacingUnderscores()
        guard let value = Double(text) else {
            diagnostics.append(Diagnostic("'\(text)' is not a number", at: SourceSpan(source: source, start: start, end: position), kind: .syntax))
            return
        }
        add(.number(value), from: start, to: position)
    }

    private mutating func scanString(quote: UInt8, start: Int) {
        var value: [UInt8] = []
        while position < bytes.count && bytes[position] != quote {
            if bytes[position] == UInt8(ascii: "\\") && position + 1 < bytes.count {
                let escapes: [UInt8: UInt8] = [UInt8(ascii: "n"): 10, UInt8(ascii: "t"): 9, UInt8(ascii: "\\"): 92,
                                               UInt8(ascii: "\""): 34, UInt8(ascii: "'"): 39]
                value.append(escapes[bytes[position + 1]] ?? bytes[position + 1])
                position += 2
            } else {
                value.append(bytes[position])
                position += 1
            }
        }
        guard position < bytes.count else {
            diagnostics.append(Diagnostic("this string is never closed", at: SourceSpan(source: source, start: start, end: start + 1),
                                          kind: .incompleteInput, hint: "end it with \(quote == 34 ? "\"" : "'")"))
            return
        }
        position += 1
        add(.string(String(decoding: value, as: UTF8.self)), from: start, to: position)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
