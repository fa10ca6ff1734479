import Diagnostics

/// One lexical unit.
public struct Token: Sendable {
    /// What was read.
    public enum Kind: Sendable, Hashable {
        case identifier(String)
        case number(Double)
        case string(String)
        case plus, minus, star, slash, at, power
        case equalEqual, notEqual, less, lessEqual, greater, greaterEqual, assign
        case leftParen, rightParen, leftBracket, rightBracket, comma, colon, dot
        case newline
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
        case .string: "the string \(span.text)"
        case .newline: "the end of the line"
        case .end: "the end of the input"
        default: "'\(span.text)'"
        }
    }
}
