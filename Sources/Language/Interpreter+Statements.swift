import Diagnostics

extension Interpreter {
    /// Runs one statement; `break`, `continue` and `return` come back as its flow.
    func execute(_ statement: Statement) throws(Diagnostic) -> Flow {
        switch statement.kind {
        case .assignment(let target, let expression):
            try assign(try evaluate(expression), to: target)
        case .commandAssignment(let target, let command):
            try assign(try run(command), to: target)
        case .augmentedAssignment(let target, let op, let expression, _):
            try update(target, op, with: try evaluate(expression), at: statement.span)
        case .expression(let expression):
            let value = try evaluate(expression)
            if frame === globals { for item in value.displayed { sink.emitResult(item) } }
        case .command(let command):
            let value = try run(command)
            if registry.commands[command.keyword]?.displaysResult == true {
                for item in value.displayed { sink.emit(item) }
            }
        case .conditional(let branches, let otherwise):
            for branch in branches where try isTrue(try evaluate(branch.condition), at: branch.condition.span) {
                return try execute(branch.body)
            }
            if let otherwise { return try execute(otherwise) }
        case .whileLoop(let condition, let body): return try runWhile(condition, body)
        case .forLoop(let target, let iterable, let body): return try runFor(target, iterable, body)
        case .function(let definition): try define(definition)
        case .classDefinition(let definition): try define(definition)
        case .returnValue(let expression): return .returnValue(try expression.map { (value) throws(Diagnostic) in try evaluate(value) } ?? .none)
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        case .pass, .global: break
        case .noGrad(let body): return try withoutGradients { () throws(Diagnostic) in try execute(body) }
        case .delete(let name): try delete(name, at: statement.span)
        }
        return .normal
    }

    /// Runs a block's statements in order, stopping between them on Ctrl-C (or a timeout).
    func execute(_ block: Block) throws(Diagnostic) -> Flow {
        for statement in block.statements {
            try checkInterruption(before: statement)
            let flow = try execute(statement)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// Throws when the host asks to stop (Ctrl-C, a cell's timeout): the variables keep what the
    /// statements before this one gave them.
    @inline(__always)
    func checkInterruption(before statement: Statement) throws(Diagnostic) {
        guard context.engine.isInterrupted else { return }
        throw Diagnostic("stopped by \(context.engine.interruptionReason) before this statement", at: statement.span, kind: .interrupted,
                         hint: "every variable keeps the value it had when the run stopped")
    }

    /// Runs `body` with gradient recording off (the host's `no_grad` hook).
    private func withoutGradients(_ body: () throws(Diagnostic) -> Flow) throws(Diagnostic) -> Flow {
        do {
            return try context.engine.withoutGradients { try body() }
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw Diagnostic("internal error in no_grad: \(error)", at: nil, kind: .internalError)
        }
    }

    /// `del name`: forgets a variable, so a builtin it hid is visible again.
    private func delete(_ name: Name, at span: SourceSpan) throws(Diagnostic) {
        guard globals.value(at: name.id) != nil else {
            throw Diagnostic("'\(name)' is not a variable", at: span, hint: registry.help(for: name.text) != nil ? "it is a builtin; only variables can be deleted" : nil)
        }
        globals.set(nil, at: name.id)
    }
}
