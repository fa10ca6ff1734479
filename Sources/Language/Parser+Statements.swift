import Diagnostics

extension Parser {
    /// Augmented assignment tokens and the operation they apply.
    private static let augmentedOperators: [Token.Kind: BinaryOperator] = [
        .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
    ]

    /// One statement: a block statement, or a simple one ending its line.
    mutating func parseStatement() throws(Diagnostic) -> Statement {
        if check(.at) { return try parseDecoratedFunction() }
        if let word = current.identifier {
            switch word {
            case "if": return try parseConditional()
            case "while": return try parseWhile()
            case "for": return try parseFor()
            case "def": return try parseFunction()
            case "class": return try parseClass()
            case "no_grad" where next.kind == .colon: return try parseNoGrad()
            case "with" where next.identifier != nil: return try parseWithNoGrad()
            case "import" where next.identifier != nil, "from" where next.identifier != nil: throw importHint()
            case "elif", "else":
                throw Diagnostic("'\(word)' has no 'if' before it", at: current.span, kind: .syntax,
                                 hint: "\(word) must start at the same indentation as the if it belongs to, right after that if's block")
            default: break
            }
        }
        let statement = try parseSimpleStatement()
        try endStatement()
        return statement
    }

    /// A statement that fits on one line (also allowed after a block's `:`).
    mutating func parseSimpleStatement() throws(Diagnostic) -> Statement {
        let start = current.span
        switch current.identifier {
        case "return"?:
            guard inFunction else {
                throw Diagnostic("'return' outside a function", at: start, kind: .syntax, hint: "return ends a function written with def")
            }
            advance()
            let value = atStatementEnd ? nil : try parseExpressionList()
            return Statement(kind: .returnValue(value), span: value.map { start.through($0.span) } ?? start)
        case "break"?, "continue"?:
            let word = advance().identifier!
            guard loopDepth > 0 else {
                throw Diagnostic("'\(word)' outside a loop", at: start, kind: .syntax,
                                 hint: "\(word) \(word == "break" ? "ends" : "skips to the next round of") the innermost for or while loop")
            }
            return Statement(kind: word == "break" ? .breakLoop : .continueLoop, span: start)
        case "pass"?:
            advance()
            return Statement(kind: .pass, span: start)
        case "global"?, "del"?:
            if check(word: "del") && inFunction {
                throw Diagnostic("del inside a function", at: start, kind: .syntax, hint: "del forgets a variable of the session; use it at the top level")
            }
            return try parseNameStatement()
        default:
            break
        }
        if isCommandStart() {
            let command = try parseCommand()
            return Statement(kind: .command(command), span: command.span)
        }
        let first = try parseExpressionList()
        if check(.assign) {
            let target = try makeTarget(first)
            advance()
            if isCommandStart() {
                let command = try parseCommand()
                return Statement(kind: .commandAssignment(target, command), span: start.through(command.span))
            }
            let value = try parseExpressionList()
            return Statement(kind: .assignment(target, value), span: start.through(value.span))
        }
        if let op = Self.augmentedOperators[current.kind] {
            let target = try makeTarget(first)
            if case .tuple = target.kind {
                throw Diagnostic("\(current.span.text) needs one target, not several", at: first.span, kind: .syntax, hint: "update each name on its own line")
            }
            let operatorSpan = advance().span
            let value = try parseExpression()
            return Statement(kind: .augmentedAssignment(target, op, value, operatorSpan: operatorSpan), span: start.through(value.span))
        }
        return Statement(kind: .expression(first), span: first.span)
    }

    /// `global a, b` and `del name`.
    private mutating func parseNameStatement() throws(Diagnostic) -> Statement {
        let keyword = advance()
        var names: [Name] = []
        var end = keyword.span
        repeat {
            guard let text = current.identifier, !Self.reservedWords.contains(text) else {
                throw Diagnostic("expected a name after '\(keyword.span.text)', found \(current.description)", at: errorSpan, kind: .syntax,
                                 hint: "for example: \(keyword.span.text) losses")
            }
            names.append(Name(text))
            end = advance().span
        } while keyword.identifier == "global" && match(.comma)
        let kind: Statement.Kind = keyword.identifier == "global" ? .global(names) : .delete(names[0])
        return Statement(kind: kind, span: keyword.span.through(end))
    }

    /// An expression, or several separated by commas (a tuple without parentheses: `a, b`).
    mutating func parseExpressionList() throws(Diagnostic) -> Expression {
        let first = try parseExpression()
        guard check(.comma) else { return first }
        var items = [first]
        while match(.comma) && !atStatementEnd && !check(.assign) {
            items.append(try parseExpression())
        }
        return Expression(kind: .tuple(items), span: first.span.through(items.last!.span))
    }

    /// What an assignment's left side writes to, or why it cannot be written.
    func makeTarget(_ expression: Expression) throws(Diagnostic) -> Target {
        switch expression.kind {
        case .identifier(let name): return Target(kind: .name(name), span: expression.span)
        case .tuple(let items), .list(let items):
            var targets: [Target] = []
            for item in items { targets.append(try makeTarget(item)) }
            return Target(kind: .tuple(targets), span: expression.span)
        case .subscripts(let base, let items): return Target(kind: .subscripts(base, items), span: expression.span)
        case .member(let base, let name, let nameSpan): return Target(kind: .member(base, name: name, nameSpan: nameSpan), span: expression.span)
        case .boolean, .none:
            throw Diagnostic("cannot assign to '\(expression.span.text)'", at: expression.span, kind: .syntax, hint: "choose another name")
        case .call:
            throw Diagnostic("cannot assign to a function call", at: expression.span, kind: .syntax, hint: "to compare two values, use ==")
        default:
            throw Diagnostic("cannot assign to this expression", at: expression.span, kind: .syntax,
                             hint: "only a name, an item (xs[i]) or a member (x.name) can be assigned to; to compare, use ==")
        }
    }

    /// The names of a `for` loop: `x`, `x, y` or `i, (x, y)`, up to `in`.
    mutating func parseLoopTarget() throws(Diagnostic) -> Target {
        let first = try parseLoopTargetItem()
        guard check(.comma) else { return first }
        var items = [first]
        while match(.comma) { items.append(try parseLoopTargetItem()) }
        return Target(kind: .tuple(items), span: first.span.through(items.last!.span))
    }

    private mutating func parseLoopTargetItem() throws(Diagnostic) -> Target {
        if check(.leftParen) {
            let open = advance()
            let inner = try parseLoopTarget()
            let close = try expect(.rightParen, "')'", after: "the names")
            return Target(kind: inner.kind, span: open.span.through(close.span))
        }
        guard let text = current.identifier, !Self.reservedWords.contains(text) else {
            throw Diagnostic("expected a name after 'for', found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "for example: for x, y in batches(mnist.train, 64):")
        }
        return Target(kind: .name(Name(text)), span: advance().span)
    }
}
