import Diagnostics

/// Splits source text into tokens. Newlines end statements except inside brackets; `#` starts a
/// comment; indentation at the start of a line opens and closes blocks (`indent`/`dedent`, as in
/// Python; spaces only). Input that ends inside a bracket or a string is `incompleteInput` (the
/// REPL then reads another line); other problems are syntax errors. Lexing continues after an error.
public struct Lexer {
    let source: SourceFile
    let bytes: [UInt8]
    var position: Int
    let limit: Int
    var openers: [Token] = []
    /// Indentation widths of the open blocks, innermost last (0 is the top level).
    var indentation: [Int] = [0]
    /// Whether the next byte starts a line (indentation is measured there).
    var atLineStart: Bool
    /// Inside an f-string's braces: no statements, no layout.
    let isEmbedded: Bool
    public internal(set) var tokens: [Token] = []
    public internal(set) var diagnostics: [Diagnostic] = []

    /// Lexes all of `source`.
    public init(_ source: SourceFile) {
        self.init(source, range: 0..<source.bytes.count, embedded: false)
    }

    /// Lexes the bytes `range` of `source`; `embedded` for a value inside an f-string's braces.
    init(_ source: SourceFile, range: Range<Int>, embedded: Bool) {
        self.source = source
        bytes = source.bytes
        position = range.lowerBound
        limit = range.upperBound
        isEmbedded = embedded
        atLineStart = !embedded
        while position < limit {
            if atLineStart {
                atLineStart = false
                measureIndentation()
            } else {
                scanToken()
            }
        }
        if let opener = openers.last {
            diagnostics.append(Diagnostic(
                "'\(opener.span.text)' is never closed", at: opener.span, kind: .incompleteInput,
                hint: "close it with '\(Self.closer(for: opener.kind))'"))
        }
        if !(tokens.last.map { $0.kind == .newline } ?? true) || embedded { add(.newline, from: limit, to: limit) }
        for _ in indentation.dropFirst() { add(.dedent, from: limit, to: limit) }
        add(.end, from: limit, to: limit)
    }

    static func closer(for kind: Token.Kind) -> String { kind == .leftParen ? ")" : kind == .leftBrace ? "}" : "]" }

    mutating func add(_ kind: Token.Kind, from start: Int, to end: Int) {
        tokens.append(Token(kind: kind, span: SourceSpan(source: source, start: start, end: end)))
    }

    func peek(_ offset: Int = 0) -> UInt8 {
        position + offset < limit ? bytes[position + offset] : 0
    }

    private mutating func scanToken() {
        let start = position
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): return
        case UInt8(ascii: "#"):
            while position < limit && bytes[position] != UInt8(ascii: "\n") { position += 1 }
        case UInt8(ascii: "\n"): endLine(at: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): scanString(quote: byte, start: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): scanNumber(start: start)
        case UInt8(ascii: "."):
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(peek()) { scanNumber(start: start) } else { add(.dot, from: start, to: position) }
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            if byte == UInt8(ascii: "f") && (peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "'")) {
                position += 1
                scanFormatString(quote: bytes[position - 1], start: start)
                return
            }
            while Self.isIdentifierByte(peek()) { position += 1 }
            add(.identifier(source.text(from: start, to: position)), from: start, to: position)
        default: scanPunctuation(byte, start: start)
        }
    }

    /// A newline: inside brackets (or an f-string's braces) it is just space; otherwise it ends a
    /// statement (a repeated newline is one statement end) and the next line's indentation counts.
    private mutating func endLine(at start: Int) {
        guard openers.isEmpty && !isEmbedded else { return }
        if tokens.last.map({ $0.kind != .newline && $0.kind != .indent && $0.kind != .dedent }) ?? false {
            add(.newline, from: start, to: position)
        }
        atLineStart = true
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private mutating func scanPunctuation(_ byte: UInt8, start: Int) {
        func two(_ next: Character, _ long: Token.Kind, _ short: Token.Kind) {
            if peek() == next.asciiValue! { position += 1; add(long, from: start, to: position) } else { add(short, from: start, to: position) }
        }
        switch byte {
        case UInt8(ascii: "+"): two("=", .plusAssign, .plus)
        case UInt8(ascii: "-"): two("=", .minusAssign, .minus)
        case UInt8(ascii: "*"):
            if peek() == UInt8(ascii: "*") { position += 1; add(.power, from: start, to: position) } else { two("=", .starAssign, .star) }
        case UInt8(ascii: "/"):
            if peek() == UInt8(ascii: "/") { position += 1; add(.doubleSlash, from: start, to: position) } else { two("=", .slashAssign, .slash) }
        case UInt8(ascii: "%"): add(.percent, from: start, to: position)
        case UInt8(ascii: "@"): add(.at, from: start, to: position)
        case UInt8(ascii: "="): two("=", .equalEqual, .assign)
        case UInt8(ascii: "<"): two("=", .lessEqual, .less)
        case UInt8(ascii: ">"): two("=", .greaterEqual, .greater)
        case UInt8(ascii: ","): add(.comma, from: start, to: position)
        case UInt8(ascii: ":"): add(.colon, from: start, to: position)
        case UInt8(ascii: "!") where peek() == UInt8(ascii: "="):
            position += 1
            add(.notEqual, from: start, to: position)
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            add(byte == UInt8(ascii: "(") ? .leftParen : byte == UInt8(ascii: "[") ? .leftBracket : .leftBrace, from: start, to: position)
            openers.append(tokens.last!)
        case UInt8(ascii: ")"): scanCloser(.rightParen, start: start)
        case UInt8(ascii: "]"): scanCloser(.rightBracket, start: start)
        case UInt8(ascii: "}"): scanCloser(.rightBrace, start: start)
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
        let expected: Token.Kind = opener.kind == .leftParen ? .rightParen : opener.kind == .leftBrace ? .rightBrace : .rightBracket
        if kind != expected {
            diagnostics.append(Diagnostic(
                "'\(closer.span.text)' does not match '\(opener.span.text)'", at: closer.span, kind: .syntax,
                hint: "expected '\(Self.closer(for: opener.kind))'", notes: [.init("the bracket was opened here", span: opener.span)]))
        }
        openers.removeLast()
    }

    private mutating func unexpectedCharacter(at start: Int) {
        // Step over a whole UTF-8 character.
        while position < limit && bytes[position] & 0xC0 == 0x80 { position += 1 }
        let span = SourceSpan(source: source, start: start, end: position)
        let character = span.text
        let hint = ["×": "use * to multiply", "÷": "use / to divide", "^": "use ** for powers", "“": "use straight quotes \"…\"",
                    "”": "use straight quotes \"…\"", ";": "put each statement on its own line",
                    "!": "use != for 'not equal', and 'not' to negate", "&": "use 'and'", "|": "use 'or'"][character]
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
        let text = String(source.text(from: start, to: position).filter { $0 != "_" })
        guard let value = Double(text) else {
            diagnostics.append(Diagnostic("'\(text)' is not a number", at: SourceSpan(source: source, start: start, end: position), kind: .syntax))
            return
        }
        add(.number(value), from: start, to: position)
    }
}
