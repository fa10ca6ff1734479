import Diagnostics

extension Parser {
    /// Binary operators by precedence level, lowest first (`in` and `not in` join the first).
    private static let levels: [[Token.Kind: BinaryOperator]] = [
        [.equalEqual: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessOrEqual, .greater: .greater, .greaterEqual: .greaterOrEqual],
        [.plus: .add, .minus: .subtract],
        [.star: .multiply, .slash: .divide, .doubleSlash: .floorDivide, .percent: .remainder, .at: .matrixMultiply],
    ]

    mutating func parseExpression() throws(Diagnostic) -> Expression {
        try nested { (parser) throws(Diagnostic) in try parser.parseConditional() }
    }

    /// `a if condition else b` (Python's conditional expression), or just `a`.
    private mutating func parseConditional() throws(Diagnostic) -> Expression {
        let chosen = try parseLogical(.or)
        guard check(word: "if") else { return chosen }
        advance()
        let condition = try parseLogical(.or)
        guard check(word: "else") else {
            throw Diagnostic("expected 'else' in this conditional expression, found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "write it as Python does: value if condition else other")
        }
        advance()
        let otherwise = try nested { (parser) throws(Diagnostic) in try parser.parseConditional() }
        return try bounded(Expression(kind: .conditional(chosen, condition: condition, otherwise: otherwise), span: chosen.span.through(otherwise.span)))
    }

    /// An expression without a conditional at its top: a comprehension's source and filter.
    mutating func parseOrTest() throws(Diagnostic) -> Expression {
        try nested { (parser) throws(Diagnostic) in try parser.parseLogical(.or) }
    }

    /// `a or b`, `a and b` (and binds tighter), then `not a`.
    private mutating func parseLogical(_ op: LogicalOperator) throws(Diagnostic) -> Expression {
        func operand(_ parser: inout Parser) throws(Diagnostic) -> Expression {
            op == .or ? try parser.parseLogical(.and) : try parser.parseNot()
        }
        var left = try operand(&self)
        while check(word: op.rawValue) {
            advance()
            let right = try operand(&self)
            left = try bounded(Expression(kind: .logical(op, left, right), span: left.span.through(right.span)))
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expression {
        guard check(word: "not") else { return try parseBinary(level: 0) }
        let start = advance().span
        let operand = try nested { (parser) throws(Diagnostic) in try parser.parseNot() }
        return Expression(kind: .not(operand), span: start.through(operand.span))
    }

    /// The operator of `level` at the current token, consumed; nil when there is none.
    private mutating func binaryOperator(at level: Int) -> (BinaryOperator, SourceSpan)? {
        if level == 0 { return comparisonOperator() }
        guard let op = Self.levels[level][current.kind] else { return nil }
        return (op, advance().span)
    }

    /// The comparison operator at the current token, including the words `in` and `not in`.
    private mutating func comparisonOperator() -> (BinaryOperator, SourceSpan)? {
        if let op = Self.levels[0][current.kind] { return (op, advance().span) }
        if check(word: "in") { return (.isIn, advance().span) }
        if check(word: "is") {
            let start = advance().span
            return check(word: "not") ? (.isNotSame, start.through(advance().span)) : (.isSame, start)
        }
        if check(word: "not"), next.identifier == "in" {
            let start = advance().span
            return (.isNotIn, start.through(advance().span))
        }
        return nil
    }

    /// `expression`, unless it is higher than the interpreter may recurse: a chain such as
    /// `1 + 1 + …` or `x[0][0]…` nests one level per operator without any bracket, so it is
    /// refused while it is built (never deeper than the limit, so freeing it cannot overflow either).
    private func bounded(_ expression: Expression) throws(Diagnostic) -> Expression {
        guard expression.height <= Self.maximumHeight else {
            throw Diagnostic("this expression chains more than \(Self.maximumHeight) operations into one", at: current.span, kind: .syntax,
                             hint: "split it into several statements, e.g. total = a + b, then total = total + c")
        }
        return expression
    }

    /// Runs `body` one nesting level deeper, refusing absurd depths.
    mutating func nested(_ body: (inout Parser) throws(Diagnostic) -> Expression) throws(Diagnostic) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw Diagnostic("this expression is nested more than \(Self.maximumDepth) levels deep", at: current.span, kind: .syntax,
                             hint: "split it into several statements")
        }
        return try body(&self)
    }

    private mutating func parseBinary(level: Int) throws(Diagnostic) -> Expression {
        if level == Self.levels.count { return try parseUnary() }
        var left = try parseBinary(level: level + 1)
        while let found = binaryOperator(at: level) {
            let (op, operatorSpan) = found
            let right = try parseBinary(level: level + 1)
            left = try bounded(Expression(kind: .binary(op, left, right, operatorSpan: operatorSpan), span: left.span.through(right.span)))
        }
        return left
    }

    /// Unary minus binds looser than `**`: -2 ** 2 is −4, as in Python.
    private mutating func parseUnary() throws(Diagnostic) -> Expression {
        if check(.minus) {
            let start = advance().span
            let operand = try nested { (parser) throws(Diagnostic) in try parser.parseUnary() }
            return Expression(kind: .negate(operand), span: start.through(operand.span))
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(Diagnostic) -> Expression {
        let base = try parsePostfix()
        guard check(.power) else { return base }
        let operatorSpan = advance().span
        let exponent = try nested { (parser) throws(Diagnostic) in try parser.parseUnary() }  // right-associative: 2 ** 3 ** 2 is 2 ** 9
        return Expression(kind: .binary(.power, base, exponent, operatorSpan: operatorSpan), span: base.span.through(exponent.span))
    }

    private mutating func parsePostfix() throws(Diagnostic) -> Expression {
        var expression = try parsePrimary()
        while true {
            if check(.leftParen) {
                expression = try bounded(try parseCall(expression))
            } else if check(.leftBracket) {
                expression = try bounded(try parseSubscript(expression))
            } else if match(.dot) {
                guard let name = current.identifier else {
                    throw Diagnostic("expected a member name after '.', found \(current.description)", at: current.span, kind: .syntax)
                }
                let nameSpan = advance().span
                expression = try bounded(Expression(kind: .member(expression, name: name, nameSpan: nameSpan), span: expression.span.through(nameSpan)))
            } else {
                return expression
            }
        }
    }

    private mutating func parseCall(_ callee: Expression) throws(Diagnostic) -> Expression {
        advance()
        var arguments: [Argument] = []
        while !check(.rightParen) {
            let start = current.span
            var label: String?
            if let name = current.identifier, next.kind == .colon || next.kind == .assign {
                label = name
                advance()
                advance()
            }
            let value = try parseExpression()
            arguments.append(Argument(label: label, value: value, span: start.through(value.span)))
            if !match(.comma) { break }
        }
        let close = try expect(.rightParen, "',' or ')'", after: "an argument")
        return Expression(kind: .call(callee, arguments), span: callee.span.through(close.span))
    }

    /// `[` items `]` after `base`: indices and `start:end:step` slices separated by commas.
    private mutating func parseSubscript(_ base: Expression) throws(Diagnostic) -> Expression {
        advance()
        var items: [SubscriptItem] = []
        repeat {
            if check(.rightBracket) && !items.isEmpty { break }
            items.append(try parseSubscriptItem())
        } while match(.comma)
        let close = try expect(.rightBracket, "',' or ']'", after: items.count == 1 ? "an index" : "the indices")
        return Expression(kind: .subscripts(base, items), span: base.span.through(close.span))
    }

    /// One index `i`, or a slice `a:b`, `a:b:s`, `:`, `::2` (every part optional).
    private mutating func parseSubscriptItem() throws(Diagnostic) -> SubscriptItem {
        func part() throws(Diagnostic) -> Expression? {
            check(.colon) || check(.comma) || check(.rightBracket) ? nil : try parseExpression()
        }
        let start = try part()
        guard match(.colon) else {
            guard let start else { throw Diagnostic("expected an index or a slice such as 0:10, found \(current.description)", at: errorSpan, kind: .syntax) }
            return .index(start)
        }
        let end = try part()
        let step = match(.colon) ? try part() : nil
        return .slice(start: start, end: end, step: step)
    }

    private mutating func parsePrimary() throws(Diagnostic) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Expression(kind: .number(value), span: token.span)
        case .string(let value):
            advance()
            return Expression(kind: .string(value), span: token.span)
        case .identifier(let name):
            if Self.reservedWords.contains(name) {
                throw Diagnostic("expected a value, found the keyword '\(name)'", at: token.span, kind: .syntax,
                                 hint: "'\(name)' belongs to the language's blocks and cannot be used as a name")
            }
            advance()
            switch name {
            // Python's spellings are accepted beside the language's own.
            case "true", "True": return Expression(kind: .boolean(true), span: token.span)
            case "false", "False": return Expression(kind: .boolean(false), span: token.span)
            case "none", "None": return Expression(kind: .none, span: token.span)
            default: return Expression(kind: .identifier(Name(name)), span: token.span)
            }
        case .formatString(let pieces):
            advance()
            return Expression(kind: .formatString(try formatParts(pieces, in: token.span)), span: token.span)
        case .leftParen: return try parseParenthesized()
        case .leftBracket:
            advance()
            var items: [Expression] = []
            while !check(.rightBracket) {
                items.append(try parseExpression())
                if items.count == 1, check(word: "for") { return try parseComprehension(items[0], openedBy: token) }
                if !match(.comma) { break }
            }
            let close = try expect(.rightBracket, "',' or ']'", after: "a list item")
            return Expression(kind: .list(items), span: token.span.through(close.span))
        case .leftBrace: return try parseDictionary()
        default:
            throw Diagnostic("expected a value, found \(token.description)", at: errorSpan, kind: .syntax,
                             hint: token.kind == .assign ? "use == to compare" : token.kind == .indent ? "remove the extra spaces at the start of the line" : nil)
        }
    }

    /// `[element for target in source if condition]`, after its element.
    private mutating func parseComprehension(_ element: Expression, openedBy open: Token) throws(Diagnostic) -> Expression {
        let (target, source, condition) = try parseComprehensionClauses(example: "[x * 2 for x in range(5)]")
        let close = try expect(.rightBracket, "']'", after: "the comprehension")
        return try bounded(Expression(kind: .comprehension(element, target, in: source, condition: condition), span: open.span.through(close.span)))
    }

    /// `{key: value, …}`.
    private mutating func parseDictionary() throws(Diagnostic) -> Expression {
        let open = advance()
        var pairs: [(key: Expression, value: Expression)] = []
        while !check(.rightBrace) {
            let key = try parseExpression()
            guard match(.colon) else {
                throw Diagnostic("expected ':' after a dictionary key, found \(current.description)", at: errorSpan, kind: .syntax,
                                 hint: "a dictionary pairs keys with values: {\"lr\": 0.01, \"epochs\": 5}")
            }
            let value = try parseExpression()
            if pairs.isEmpty, check(word: "for") { return try parseDictionaryComprehension(key, value, openedBy: open) }
            pairs.append((key, value))
            if !match(.comma) { break }
        }
        let close = try expect(.rightBrace, "',' or '}'", after: "a dictionary entry")
        return Expression(kind: .dictionary(pairs), span: open.span.through(close.span))
    }

    /// `for target in source [if condition]` of a list or dict comprehension, from its `for`.
    private mutating func parseComprehensionClauses(example: String) throws(Diagnostic) -> (Target, Expression, Expression?) {
        advance()
        let target = try parseLoopTarget()
        guard check(word: "in") else {
            throw Diagnostic("expected 'in' after the names of a comprehension, found \(current.description)", at: errorSpan, kind: .syntax,
                             hint: "for example: \(example)")
        }
        advance()
        let source = try parseOrTest()
        var condition: Expression?
        if check(word: "if") {
            advance()
            condition = try parseOrTest()
        }
        return (target, source, condition)
    }

    /// `{key: value for target in source if condition}`: read as `dict([(key, value) for …])`.
    private mutating func parseDictionaryComprehension(_ key: Expression, _ value: Expression, openedBy open: Token) throws(Diagnostic) -> Expression {
        let (target, source, condition) = try parseComprehensionClauses(example: "{s: i for i, s in enumerate(chars)}")
        let close = try expect(.rightBrace, "'}'", after: "the comprehension")
        let span = open.span.through(close.span)
        let pair = Expression(kind: .tuple([key, value]), span: key.span.through(value.span))
        let pairs = try bounded(Expression(kind: .comprehension(pair, target, in: source, condition: condition), span: span))
        let dict = Expression(kind: .identifier(Name("dict")), span: open.span)
        return Expression(kind: .call(dict, [Argument(label: nil, value: pairs, span: span)]), span: span)
    }

    /// `(e)` groups; `(a, b)` and `(a,)` are tuples.
    private mutating func parseParenthesized() throws(Diagnostic) -> Expression {
        let open = advance()
        if check(.rightParen) {  // () is the empty tuple, as in Python (torch.full((), 0.3))
            return Expression(kind: .tuple([]), span: open.span.through(advance().span))
        }
        let first = try parseExpression()
        guard match(.comma) else {
            let close = try expect(.rightParen, "')'", after: "the expression")
            return Expression(kind: first.kind, span: open.span.through(close.span))
        }
        var items = [first]
        while !check(.rightParen) {
            items.append(try parseExpression())
            if !match(.comma) { break }
        }
        let close = try expect(.rightParen, "',' or ')'", after: "a tuple item")
        return Expression(kind: .tuple(items), span: open.span.through(close.span))
    }
}

extension Parser {
    /// The parts of an f-string, each `{value}` parsed as an expression at its place in the source.
    private func formatParts(_ pieces: [FormatStringPiece], in span: SourceSpan) throws(Diagnostic) -> [FormatPart] {
        var parts: [FormatPart] = []
        for piece in pieces {
            switch piece {
            case .text(let text): parts.append(.text(text))
            case .value(let start, let end, let format):
                let lexer = Lexer(span.source, range: start..<end, embedded: true)
                if let problem = lexer.diagnostics.first { throw problem }
                var parser = Parser(embedded: lexer.tokens, commands: commands)
                parser.depth = depth
                let value = try parser.parseExpression()
                guard parser.check(.newline) || parser.check(.end) else {
                    throw Diagnostic("unexpected \(parser.current.description) in an f-string's {}", at: parser.current.span, kind: .syntax,
                                     hint: "a {} holds one value, optionally followed by :format, e.g. {loss:.4f}")
                }
                parts.append(.value(value, format: format))
            }
        }
        return parts
    }
}
