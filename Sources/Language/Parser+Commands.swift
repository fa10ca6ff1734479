import Diagnostics

extension Parser {
    mutating func parseCommand() throws(Diagnostic) -> Command {
        let keywordToken = advance()
        let keyword = keywordToken.identifier!
        var operands: [Expression] = []
        var topic: Symbol?
        var clauses: [Clause] = []
        switch keyword {
        case "train", "evaluate", "predict", "step", "gradcheck", "confusion":
            operands.append(try parseExpression())
            try expectWord("on", after: "the model in '\(keyword) … on …'")
            operands.append(try parseExpression())
            if keyword == "train" || keyword == "step" { clauses = try parseClauses(after: keyword) }
        case "save":
            operands.append(try parseExpression())
            try expectWord("to", after: "the value in 'save … to \"file\"'")
            operands.append(try parseExpression())
        case "plot", "print":
            operands.append(try parseExpression())
            while match(.comma) { operands.append(try parseExpression()) }
        case "show" where isCommandStart() && ["predict", "evaluate", "step", "confusion", "gradcheck"].contains(current.identifier ?? ""):
            let nested = try parseCommand()
            operands.append(Expression(kind: .command(nested), span: nested.span))
        case "explain", "help":
            if let name = current.identifier {
                topic = Symbol(name: name, span: advance().span)
            } else if !check(.newline) && !check(.end) {
                throw Diagnostic("\(keyword) takes a topic name, found \(current.description)", at: current.span, kind: .syntax,
                                 hint: "for example: \(keyword) \(keyword == "help" ? "linear" : "adam")")
            }
        default:
            operands.append(try parseExpression())
        }
        let end = clauses.last?.span ?? operands.last?.span ?? topic?.span ?? keywordToken.span
        return Command(keyword: keyword, keywordSpan: keywordToken.span, operands: operands, topic: topic, clauses: clauses,
                       span: keywordToken.span.through(end))
    }

    private mutating func expectWord(_ word: String, after: String) throws(Diagnostic) {
        guard current.identifier == word else {
            throw Diagnostic("expected '\(word)' after \(after), found \(current.description)", at: current.span, kind: .syntax,
                             hint: word == "on" ? "for example: train model on mnist" : "for example: save model to \"model.safetensors\"")
        }
        advance()
    }

    private mutating func parseClauses(after keyword: String) throws(Diagnostic) -> [Clause] {
        var clauses: [Clause] = []
        while let name = current.identifier {
            guard Self.clauseKeywords.contains(name) else {
                let suggestion = Suggestions.closest(to: name, in: Self.clauseKeywords)
                throw Diagnostic("unknown clause '\(name)' in \(keyword)", at: current.span, kind: .syntax,
                                 hint: suggestion.map { "did you mean '\($0)'?" } ?? "clauses are: \(Self.clauseKeywords.joined(separator: ", "))")
            }
            let nameSpan = advance().span
            if let earlier = clauses.first(where: { $0.name == name }) {
                throw Diagnostic("'\(name)' is given twice", at: nameSpan, kind: .syntax, notes: [.init("first given here", span: earlier.nameSpan)])
            }
            switch name {
            case "verbose":
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: nil, symbol: nil))
            case "optimizer", "loss":
                guard let word = current.identifier else {
                    throw Diagnostic("'\(name)' needs a name, found \(current.description)", at: current.span, kind: .syntax,
                                     hint: name == "loss" ? "loss mse, loss cross_entropy or loss bce" : "optimizer adam or optimizer sgd")
                }
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: nil, symbol: Symbol(name: word, span: advance().span)))
            default:
                if check(.newline) || check(.end) {
                    throw Diagnostic("'\(name)' needs a value", at: nameSpan, kind: .syntax, hint: "for example: \(name) \(Self.example(for: name))")
                }
                clauses.append(Clause(name: name, nameSpan: nameSpan, value: try parseExpression(), symbol: nil))
            }
        }
        if !check(.newline) && !check(.end) {
            throw Diagnostic("unexpected \(current.description) in \(keyword)", at: current.span, kind: .syntax,
                             hint: "clauses are: \(Self.clauseKeywords.joined(separator: ", "))")
        }
        return clauses
    }

    private static func example(for clause: String) -> String {
        ["epochs": "5", "batch": "64", "lr": "0.001", "momentum": "0.9"][clause] ?? "…"
    }
}
