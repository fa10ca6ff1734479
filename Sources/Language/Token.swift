import Diagnostics

/// One lexical unit.
public struct Token: Sendable {
    /// What was read.
    public enum Kind: Sendable, Hashable {
        case identifier(String)
        case number(Double)
        case string(String)
        /// `f"…{value:format}…"`: text and the byte ranges of the values inside braces.
        case formatString([FormatStringPiece])
        case plus, minus, star, slash, doubleSlash, percent, at, power
        case plusAssign, minusAssign, starAssign, slashAssign
        case equalEqual, notEqual, less, lessEqual, greater, greaterEqual, assign
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace, comma, colon, dot
        case newline
        /// The start of an indented block.
        case indent
        /// The end of an indented block.
        case dedent
        case end
    }

    public let kind: Kind
    public let span: SourceSpan

    /// The identifier's name, if this is one.
    public var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    /// How the token reads in messages: `'train'`, `')'`, `a number`, `the end of the line`.
    public var description: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .number: "the number \(span.text)"
        case .string, .formatString: "the string \(span.text)"
        case .newline: "the end of the line"
        case .indent: "an indented line"
        case .dedent: "the end of the indented block"
        case .end: "the end of the input"
        default: "'\(span.text)'"
        }
    }
}

/// A piece of an f-string token.
public enum FormatStringPiece: Sendable, Hashable {
    /// Literal text (escapes and `{{ }}` already resolved).
    case text(String)
    /// The source bytes `start..<end` of a value inside braces, and the format after its `:`.
    case value(start: Int, end: Int, format: String?)
}
