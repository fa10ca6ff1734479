import Diagnostics

/// Parses tokens into statements (DESIGN.md §3). Command words are keywords only where a
/// command can start — `lr = 0.01` then `train m on d lr lr` works. After a syntax error the
/// parser skips to the next statement, so one run reports every independent error.
public struct Parser {
    /// The commands this parser knows, by word (from the registry: DESIGN.md §2a item 3).
    let commands: [String: CommandDefinition]
    var tokens: [Token]
    var position = 0
    /// How deeply expressions are nested right now (bounded, so no input can overflow the stack).
    var depth = 0
    /// The deepest nesting accepted.
    static let maximumDepth = 200
    public private(set) var statements: [Statement] = []
    public private(set) var diagnostics: [Diagnostic] = []

    /// Parses a whole source with the language's own commands only.
    public init(_ source: SourceFile) {
        self.init(source, commands: Registry.languageCommandsByWord)
    }

    /// Parses a whole source, knowing the commands of `registry`; lexer diagnostics come first.
    public init(_ source: SourceFile, registry: Registry) {
        self.init(source, commands: registry.commands)
    }

    init(_ source: SourceFile, commands: [String: CommandDefinition]) {
        self.commands = commands
        let lexer = Lexer(source)
        tokens = lexer.tokens
        diagnostics = lexer.diagnostics
        // Incomplete input: report only that (the REPL will ask for more).
        if diagnostics.contains(where: { $0.kind == .incompleteInput }) {
            diagnostics = diagnostics.filter { $0.kind == .incompleteInput }
            return
        }
        let lexerDiagnostics = diagnostics
        while !check(.end) {
            if match(.newline) { continue }
            do {
                statements.append(try parseStatement())
            } catch {
                // A line the lexer already complained about gets no second, cascading error.
                if !lexerDiagnostics.contains(where: { Self.line(of: $0) == Self.line(of: error) }) { diagnostics.append(error) }
                synchronize()
            }
        }
        diagnostics.sort { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) }
    }

    private static func line(of diagnostic: Diagnostic) -> Int? {
        diagnostic.span.map { $0.source.location(of: $0.start).line }
    }

    /// Whether the input stopped in the middle (unclosed bracket or string).
    public var isIncomplete: Bool { diagnostics.contains { $0.kind == .incompleteInput } }

    // MARK: token helpers

    var current: Token { tokens[position] }
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    func check(_ kind: Token.Kind) -> Bool { current.kind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func match(_ kind: Token.Kind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    mutating func expect(_ kind: Token.Kind, _ what: String, after: String) throws(Diagnostic) -> Token {
        guard check(kind) else {
            throw Diagnostic("expected \(what) after \(after), found \(current.description)", at: errorSpan, kind: .syntax)
        }
        return advance()
    }

    /// Where to point for a problem at the current token: at the end of a line, just after the
    /// last token (not past a trailing comment).
    var errorSpan: SourceSpan {
        guard check(.newline) || check(.end), position > 0 else { return current.span }
        let previous = tokens[position - 1].span
        return SourceSpan(source: previous.source, start: previous.end, end: previous.end)
    }

    /// Skips to the start of the next statement (jlox's synchronize).
    mutating func synchronize() {
        while !check(.newline) && !check(.end) { advance() }
        _ = match(.newline)
    }

    // MARK: statements

    mutating func parseStatement() throws(Diagnostic) -> Statement {
        let start = current.span
        if let text = current.identifier, next.kind == .assign {
            let name = Name(text)
            advance()
            advance()
            if isCommandStart() {
                let command = try parseCommand()
                try endStatement()
                return Statement(kind: .commandAssignment(name: name, nameSpan: start, command: command), span: start.through(command.span))
            }
            let value = try parseExpression()
            try endStatement()
            return Statement(kind: .assignment(name: name, nameSpan: start, value: value), span: start.through(value.span))
        }
        if isCommandStart() {
            let command = try parseCommand()
            try endStatement()
            return Statement(kind: .command(command), span: command.span)
        }
        let expression = try parseExpression()
        try endStatement()
        return Statement(kind: .expression(expression), span: expression.span)
    }

    /// A command word begins a command when what follows can start its first operand (or
    /// nothing follows, for commands that may stand alone); otherwise it is an ordinary name.
    func isCommandStart() -> Bool {
        guard let word = current.identifier, let command = commands[word] else { return false }
        switch next.kind {
        case .identifier, .number, .string, .leftParen, .leftBracket, .minus: return true
        case .newline, .end: return command.grammar.allowsNothing
        default: return false
        }
    }

    mutating func endStatement() throws(Diagnostic) {
        guard check(.newline) || check(.end) else {
            throw Diagnostic("unexpected \(current.description) after the end of the statement", at: current.span, kind: .syntax,
                             hint: current.kind == .assign ? "only a name can be assigned to (name = value)" : "put each statement on its own line")
        }
        _ = match(.newline)
    }
}
