import Diagnostics

extension Parser {
    /// A command, read part by part as its registry grammar says.
    mutating func parseCommand() throws(Diagnostic) -> Command {
        let keywordToken = advance()
        let keyword = keywordToken.identifier!
        let definition = commands[keyword]!
        var operands: [Expression] = []
        var topic: Symbol?
        for part in definition.grammar.parts {
            switch part {
            case .operand: operands.append(try parseExpression())
            case .word(let word): try expectWord(word, in: definition)
            case .operands(_, let optional):
                if optional && atStatementEnd { break }
                if let parenthesized = parenthesizedOperands() {
                    operands = parenthesized
                    break
                }
                operands.append(try parseExpression())
                while match(.comma) { operands.append(try parseExpression()) }
            case .topic:
                if let name = current.identifier {
                    topic = Symbol(name: name, span: advance().span)
                } else if !atStatementEnd {
                    throw Diagnostic("\(keyword) takes a name, found \(current.description)", at: current.span, kind: .syntax,
                                     hint: "for example: \(definition.example)")
                }
            case .operandOrCommand:
                if isCommandStart(), let word = current.identifier, commands[word]?.canFollowShow == true {
                    let nested = try parseCommand()
                    operands.append(Expression(kind: .command(nested), span: nested.span))
                } else {
                    operands.append(try parseExpression())
                }
            }
        }
        let clauses = try parseClauses(of: definition)
        let end = clauses.last?.span ?? operands.last?.span ?? topic?.span ?? keywordToken.span
        return Command(keyword: keyword, keywordSpan: keywordToken.span, operands: operands, topic: topic, clauses: clauses,
                       span: keywordToken.span.through(end))
    }

    /// `print(a, b)` written as a Python call: the values inside the parentheses, when the
    /// statement ends right after them; otherwise nil and nothing consumed (`print (a + b) * 2`).
    private mutating func parenthesizedOperands() -> [Expression]? {
        guard check(.leftParen) else { return nil }
        let start = position
        advance()
        var operands: [Expression] = []
        do {
            while !check(.rightParen) {
                operands.append(try parseExpression())
                if !match(.comma) { break }
            }
            if match(.rightParen) && atStatementEnd { return operands }
        } catch {}
        position = start
        return nil
    }

    private mutating func expectWord(_ word: String, in definition: CommandDefinition) throws(Diagnostic) {
        guard current.identifier == word else {
            throw Diagnostic("expected '\(word)' in '\(definition.syntax)', found \(current.description)", at: current.span, kind: .syntax,
                             hint: "for example: \(definition.example)")
        }
        advance()
    }

    private mutating func parseClauses(of definition: CommandDefinition) throws(Diagnostic) -> [Clause] {
        let keyword = definition.keyword, grammar = definition.grammar
        guard !grammar.clauses.isEmpty else { return [] }
        let names = grammar.clauses.map(\.name)
        var clauses: [Clause] = []
        while let name = current.identifier {
            guard let clause = grammar.clause(named: name) else {
                let suggestion = Suggestions.closest(to: name, in: names)
                throw Diagnostic("unknown clause '\(name)' in \(keyword)", at: current.span, kind: .syntax,
                                 hint: suggestion.map { "did you mean '\($0)'?" } ?? "clauses are: \(names.joined(separator: ", "))")
            }
            let nameSpan = advance().span
            if let earlier = clauses.first(where: { $0.name == name }) {
                throw Diagnostic("'\(name)' is given twice", at: nameSpan, kind: .syntax, notes: [.init("first given here", span: earlier.nameSpan)])
            }
            // `epochs: 5`, `overwrite: true`: a clause may be written as a keyword argument.
            let keywordForm = match(.colon)
            if keywordForm && atStatementEnd {
                throw Diagnostic("'\(name):' needs a value", at: nameSpan, kind: .syntax, hint: "for example: \(clause.example)")
            }
            switch clause.kind {
            case .flag:
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: keywordForm ? try parseExpression() : nil, symbol: nil))
            case .symbol(let choices):
                if keywordForm, case .string(let word) = current.kind {
                    clauses.append(Clause(name: name, nameSpan: nameSpan, value: nil, symbol: Symbol(name: word, span: advance().span)))
                    continue
                }
                guard let word = current.identifier else {
                    throw Diagnostic("'\(name)' needs a name, found \(current.description)", at: current.span, kind: .syntax,
                                     hint: choices.map { "\(name) \($0)" }.joined(separator: " or "))
                }
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: nil, symbol: Symbol(name: word, span: advance().span)))
            case .value:
                if atStatementEnd {
                    throw Diagnostic("'\(name)' needs a value", at: nameSpan, kind: .syntax, hint: "for example: \(clause.example)")
                }
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: try parseExpression(), symbol: nil))
            }
        }
        if !atStatementEnd {
            throw Diagnostic("unexpected \(current.description) in \(keyword)", at: current.span, kind: .syntax,
                             hint: "clauses are: \(names.joined(separator: ", "))")
        }
        return clauses
    }
}
