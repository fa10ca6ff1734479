import Diagnostics

/// Parses tokens into statements (DESIGN.md §3 and §3a). Command words come from the registry
/// and are keywords only where a command can start — `lr = 0.01` then `train m on d lr lr`
/// works. Block words (`if`, `for`, `def`, …) are reserved. After a syntax error the parser
/// skips to the next statement, so one run reports every independent error.
public struct Parser {
    /// The commands this parser knows, by word (from the registry: DESIGN.md §2a item 3).
    let commands: [String: CommandDefinition]
    var tokens: [Token]
    var position = 0
    /// How deeply expressions are nested right now (bounded, so no input can overflow the stack).
    var depth = 0
    /// The deepest nesting accepted.
    static let maximumDepth = 200
    /// How high one expression's tree may grow (chains of operators, calls, indices, members).
    static let maximumHeight = 1000
    /// Loops around the statement being parsed (for `break` and `continue`).
    var loopDepth = 0
    /// Whether a `def` body is being parsed (for `return`).
    var inFunction = false
    /// Blocks around the statement being parsed (bounded like expressions).
    var blockDepth = 0
    public private(set) var statements: [Statement] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// Lines the lexer already complained about: they get no second, cascading error.
    private var lexerLines: Set<Int> = []

    /// Words that start or join block statements; they cannot be names.
    static let reservedWords: Set<String> = ["if", "elif", "else", "while", "for", "in", "def", "return", "break", "continue", "pass",
                                             "and", "or", "not", "is", "global", "del", "class"]

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
        lexerLines = Set(diagnostics.compactMap(Self.line))
        statements = parseStatements(untilDedent: false)
        diagnostics.sort { ($0.span?.start ?? 0) < ($1.span?.start ?? 0) }
    }

    /// Tokens of an f-string's value, parsed with the same commands.
    init(embedded tokens: [Token], commands: [String: CommandDefinition]) {
        self.commands = commands
        self.tokens = tokens
    }

    static func line(of diagnostic: Diagnostic) -> Int? {
        diagnostic.span.map { $0.source.location(of: $0.start).line }
    }

    /// Whether the input stopped in the middle (an unclosed bracket or string, or a block
    /// header with no block yet) and nothing else is wrong.
    public var isIncomplete: Bool {
        diagnostics.contains { $0.kind == .incompleteInput } && diagnostics.allSatisfy { $0.kind == .incompleteInput }
    }

    /// Statements up to the end of the input, or of the indented block being read.
    mutating func parseStatements(untilDedent: Bool) -> [Statement] {
        var statements: [Statement] = []
        while !check(.end) && !(untilDedent && check(.dedent)) {
            if match(.newline) { continue }
            if check(.indent) {
                report(Diagnostic("unexpected indentation", at: current.span, kind: .syntax,
                                  hint: "indent a line only inside a block (after a line ending in ':'); otherwise start it at the margin"))
                skipIndentedBlock()
                continue
            }
            if match(.dedent) { continue }  // left over from an error inside a block
            do {
                statements.append(try parseStatement())
            } catch {
                report(error)
                synchronize()
            }
        }
        return statements
    }

    /// Records a diagnostic unless the lexer already reported a problem on its line.
    mutating func report(_ diagnostic: Diagnostic) {
        if let line = Self.line(of: diagnostic), lexerLines.contains(line) { return }
        diagnostics.append(diagnostic)
    }

    // MARK: token helpers

    var current: Token { tokens[position] }
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    func check(_ kind: Token.Kind) -> Bool { current.kind == kind }

    /// Whether the current token is the word `word`.
    func check(word: String) -> Bool { current.identifier == word }

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
        guard check(.newline) || check(.end) || check(.dedent), position > 0 else { return current.span }
        let previous = tokens[position - 1].span
        return SourceSpan(source: previous.source, start: previous.end, end: previous.end)
    }

    /// Skips to the start of the next statement (jlox's synchronize), and past the block of a
    /// broken header line.
    mutating func synchronize() {
        while !check(.newline) && !check(.end) && !check(.dedent) { advance() }
        _ = match(.newline)
        if check(.indent) { skipIndentedBlock() }
    }

    /// Skips an indented block, nested blocks included.
    mutating func skipIndentedBlock() {
        var open = 0
        repeat {
            if check(.indent) { open += 1 } else if check(.dedent) { open -= 1 }
            advance()
        } while open > 0 && !check(.end)
    }

    /// The token after the bracketed group that opens at `index`, if the group closes.
    func token(afterGroupAt index: Int) -> Token? {
        var depth = 0
        for position in index..<tokens.count {
            switch tokens[position].kind {
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket, .rightBrace:
                depth -= 1
                if depth == 0 { return tokens[min(position + 1, tokens.count - 1)] }
            case .newline, .end: return nil
            default: break
            }
        }
        return nil
    }

    /// Whether the current token ends the statement.
    var atStatementEnd: Bool { check(.newline) || check(.end) || check(.dedent) }

    mutating func endStatement() throws(Diagnostic) {
        guard atStatementEnd else {
            if let command = misspelledCommand() {
                throw Diagnostic("unknown command '\(tokens[position - 1].identifier ?? "")'", at: tokens[position - 1].span, kind: .syntax,
                                 hint: "did you mean '\(command)'?")
            }
            throw Diagnostic("unexpected \(current.description) after the end of the statement", at: current.span, kind: .syntax,
                             hint: current.kind == .assign ? "only a name, an item or a member can be assigned to (name = value)"
                                 : "put each statement on its own line")
        }
        _ = match(.newline)
    }

    /// `trian model on mnist`: a statement that is one name followed by another name, where the
    /// first is close to a command word — the command it most likely meant.
    func misspelledCommand() -> String? {
        guard position >= 1, current.identifier != nil, let word = tokens[position - 1].identifier, commands[word] == nil else { return nil }
        if position >= 2 {
            switch tokens[position - 2].kind {
            case .newline, .indent, .dedent: break
            default: return nil
            }
        }
        return Suggestions.closest(to: word, in: commands.keys.sorted())
    }

    /// A command word begins a command when what follows can start its first operand (or
    /// nothing follows, for commands that may stand alone); otherwise it is an ordinary name.
    /// `train(model, data)` is a call of a function named train: a command whose operands are
    /// joined by a word (`train m on d`) is one only when that word follows the parentheses.
    func isCommandStart() -> Bool {
        guard let word = current.identifier, let command = commands[word] else { return false }
        switch next.kind {
        case .identifier(let following): return !Self.reservedWords.contains(following) || following == "not"
        case .leftParen:
            guard case .word(let joiner)? = command.grammar.parts.dropFirst().first else { return true }
            return token(afterGroupAt: position + 1)?.identifier == joiner
        case .number, .string, .formatString, .leftBracket, .minus: return true
        case .newline, .end, .dedent: return command.grammar.allowsNothing
        default: return false
        }
    }
}
