import Diagnostics
import Display

extension Interpreter {
    /// Runs a command: `help`, `print` and `show` are the language's own; the rest come from the registry.
    func run(_ command: Command) throws(Diagnostic) -> Value {
        guard let definition = registry.commands[command.keyword] else {
            throw Diagnostic("'\(command.keyword)' is not available in this session", at: command.keywordSpan)
        }
        guard let run = definition.run else { return try runLanguageCommand(command) }
        let arguments = try bindCommand(command, to: definition)
        let invocation = CommandInvocation(keyword: command.keyword, arguments: arguments, topic: command.topic, span: command.span,
                                           variables: variables)
        return try hostCall(span: command.span, what: command.keyword, argumentSpans: arguments.spans) {
            try run(invocation)
        }
    }

    /// Binds a command's operands (by position) and clauses (by name) to its signature, as a
    /// call binds arguments: defaults filled in, symbol clauses checked against their choices,
    /// numbers against their rules, each error at the clause.
    private func bindCommand(_ command: Command, to definition: CommandDefinition) throws(Diagnostic) -> Arguments {
        let signature = definition.signature
        var bound = signature.parameters.map { $0.defaultValue ?? .none }
        var spans: [String: SourceSpan] = [:], rest: [Value] = []
        let positional = signature.parameters.prefix { !$0.namedOnly }.count
        for (index, operand) in command.operands.enumerated() {
            let value = try evaluate(operand)
            if index < positional {
                bound[index] = value
                spans[signature.parameters[index].name] = operand.span
            } else {
                spans["#\(rest.count)"] = operand.span
                rest.append(value)
            }
        }
        for clause in command.clauses {
            guard let index = signature.index(of: clause.name), let definition = definition.grammar.clause(named: clause.name) else { continue }
            bound[index] = try clauseValue(clause, definition)
            spans[clause.name] = clause.span
        }
        return Arguments(signature: signature, bound: bound, rest: rest, spans: spans, callSpan: command.span, context: context)
    }

    private func clauseValue(_ clause: Clause, _ definition: ClauseDefinition) throws(Diagnostic) -> Value {
        if let symbol = clause.symbol {
            guard case .symbol(let choices) = definition.kind, !choices.contains(symbol.name) else { return .string(symbol.name) }
            throw Diagnostic("unknown \(clause.name) '\(symbol.name)'", at: symbol.span,
                             hint: Suggestions.hint(for: symbol.name, in: choices) ?? "\(clause.name) is one of: \(choices.joined(separator: ", "))")
        }
        guard let expression = clause.value else { return .bool(true) }
        let value = try evaluate(expression)
        if definition.kind == .flag {
            guard case .bool = value else {
                throw Diagnostic("\(clause.name): must be true or false, got \(value.typeName) \(value.quotedDescription)", at: expression.span,
                                 hint: "write \(clause.name) alone, or \(clause.name): true")
            }
            return value
        }
        if let rule = definition.rule {
            guard case .number(let number) = value, rule.accepts(number) else {
                throw Diagnostic("\(clause.name) must be \(rule.description), got \(value.quotedDescription)", at: clause.span,
                                 hint: rule.hint ?? "for example: \(definition.example)")
            }
        }
        return value
    }

    private func runLanguageCommand(_ command: Command) throws(Diagnostic) -> Value {
        switch command.keyword {
        case "help": return try help(command.topic)
        case "clear": sink.emit(.clearOutput)
        case "print":
            let texts = try evaluateAll(command.operands).map(printable)
            sink.emit(.text(texts.joined(separator: " ")))
        default:  // show
            let value = try evaluate(command.operands[0])
            if case .object(let object) = value { object.show().forEach(sink.emit) } else { value.displayed.forEach(sink.emit) }
        }
        return .none
    }

    /// What `print` writes for a value: strings without quotes, objects as they display.
    func printable(_ value: Value) -> String {
        guard case .object(let object) = value else { return value.shortDescription }
        let texts = object.display().compactMap { item -> String? in if case .text(let text) = item { return text } else { return nil } }
        return texts.isEmpty ? object.summary : texts.joined(separator: "\n")
    }

    /// `help` lists the names of every kind; `help KIND` (commands, layers, …) lists one kind with
    /// what each does; `help NAME` shows one entry. Everything fits `HelpListing.width` columns.
    private func help(_ topic: Symbol?) throws(Diagnostic) -> Value {
        let listing = HelpListing(entries: helpEntries())
        guard let topic else {
            sink.emit(.text(listing.overview()))
            return .none
        }
        if let kind = listing.kind(named: topic.name) {
            sink.emit(.text(listing.details(of: kind)))
        } else if let value = globals.value(at: Name(topic.name).id) {
            if case .function(let function) = value { sink.emit(.text(function.signature.helpText)) }
            else { sink.emit(.text("\(topic.name) is a variable: \(value.typeName) \(printable(value))")) }
        } else if let text = registry.help(for: topic.name) {
            sink.emit(.text(text))
        } else if let command = registry.commands.values.first(where: { $0.grammar.clause(named: topic.name) != nil }) {
            let clause = command.grammar.clause(named: topic.name)!
            sink.emit(.text("\(topic.name) is a clause of \(command.keyword): \(command.keyword) … \(clause.syntax)"))
        } else {
            let suggestion = Suggestions.closest(to: topic.name, in: registry.names + Array(registry.commands.keys) + listing.kinds)
            throw Diagnostic("no help for '\(topic.name)'", at: topic.span,
                             hint: suggestion.map { "did you mean '\($0)'?" } ?? "type help to list everything")
        }
        return .none
    }

    /// Every command, function, layer, preset and dataset, by kind.
    private func helpEntries() -> [HelpListing.Entry] {
        var entries = registry.commands.values.sorted { $0.keyword < $1.keyword }
            .map { HelpListing.Entry(kind: "commands", name: $0.keyword, usage: $0.syntax, documentation: $0.documentation) }
        for kind in Signature.Kind.allCases {
            entries += registry.functions.values.filter { $0.signature.kind == kind }.sorted { $0.name < $1.name }
                .map { HelpListing.Entry(kind: kind.rawValue + "s", name: $0.name, usage: $0.signature.text, documentation: $0.signature.documentation) }
        }
        entries += registry.values.values.sorted { $0.name < $1.name }
            .map { HelpListing.Entry(kind: "datasets", name: $0.name, usage: $0.name, documentation: $0.documentation) }
        return entries
    }
}
