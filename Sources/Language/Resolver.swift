import Diagnostics

/// Decides which names of a function are local (DESIGN.md §3a's rule, Python's): its parameters
/// and every name it assigns — by `=`, `op=` or a `for` loop — unless declared `global`.
/// Every other name is read from the session's globals. Local names are rewritten to slots, so
/// a call stores its variables in an array.
enum Resolver {
    /// The function, with its body's local names turned into slots and its docstring taken out.
    static func resolve(name: Name, parameters: [ParameterDefinition], body: Block, headerSpan: SourceSpan, isStatic: Bool = false) -> FunctionDefinition {
        var statements = body.statements
        var documentation = ""
        if case .expression(let first)? = statements.first?.kind, case .string(let text) = first.kind {
            documentation = text
            statements.removeFirst()
        }
        var globals = Set<Name>()
        var assigned: [Name] = []
        collect(statements, assigned: &assigned, globals: &globals)
        var localNames = parameters.map(\.name)
        for name in assigned where !globals.contains(name) && !localNames.contains(name) { localNames.append(name) }
        let rewriter = Rewriter(slots: Dictionary(uniqueKeysWithValues: localNames.enumerated().map { ($1, $0) }))
        let resolved = Block(statements: statements.map { rewriter.statement($0) }, span: body.span)
        return FunctionDefinition(name: name, parameters: parameters, body: resolved, documentation: documentation,
                                  localNames: localNames, headerSpan: headerSpan, isStatic: isStatic)
    }

    /// Names assigned anywhere in these statements, and names declared global.
    private static func collect(_ statements: [Statement], assigned: inout [Name], globals: inout Set<Name>) {
        func names(in target: Target) {
            switch target.kind {
            case .name(let name): assigned.append(name)
            case .tuple(let items): items.forEach(names)
            case .local, .subscripts, .member: break
            }
        }
        for statement in statements {
            for expression in ComprehensionTargets.expressions(of: statement) {
                ComprehensionTargets.visit(expression, names)
            }
            switch statement.kind {
            case .assignment(let target, _), .commandAssignment(let target, _), .augmentedAssignment(let target, _, _, _): names(in: target)
            case .forLoop(let target, _, let body):
                names(in: target)
                collect(body.statements, assigned: &assigned, globals: &globals)
            case .conditional(let branches, let otherwise):
                for branch in branches { collect(branch.body.statements, assigned: &assigned, globals: &globals) }
                if let otherwise { collect(otherwise.statements, assigned: &assigned, globals: &globals) }
            case .whileLoop(_, let body), .noGrad(let body): collect(body.statements, assigned: &assigned, globals: &globals)
            case .global(let declared): globals.formUnion(declared)
            case .expression, .command, .function, .classDefinition, .returnValue, .breakLoop, .continueLoop, .pass, .delete: break
            }
        }
    }
}

/// The names a comprehension assigns are the function's locals too (each comprehension runs in
/// the function's frame), so the resolver finds them inside every expression of a statement.
private enum ComprehensionTargets {
    /// The expressions written directly in a statement (not in its nested blocks).
    static func expressions(of statement: Statement) -> [Expression] {
        switch statement.kind {
        case .assignment(_, let value), .augmentedAssignment(_, _, let value, _), .expression(let value), .whileLoop(let value, _),
             .forLoop(_, let value, _):
            return [value]
        case .returnValue(let value): return value.map { [$0] } ?? []
        case .conditional(let branches, _): return branches.map(\.condition)
        case .command(let command), .commandAssignment(_, let command): return command.operands + command.clauses.compactMap(\.value)
        case .function, .classDefinition, .breakLoop, .continueLoop, .pass, .noGrad, .global, .delete: return []
        }
    }

    /// Calls `found` with the target of every comprehension inside `expression`.
    static func visit(_ expression: Expression, _ found: (Target) -> Void) {
        switch expression.kind {
        case .comprehension(let element, let target, let source, let condition):
            found(target)
            ([element, source] + (condition.map { [$0] } ?? [])).forEach { visit($0, found) }
        case .number, .string, .boolean, .none, .identifier, .local, .formatString, .command: break
        case .list(let items), .tuple(let items): items.forEach { visit($0, found) }
        case .dictionary(let pairs): pairs.forEach { visit($0.key, found); visit($0.value, found) }
        case .negate(let operand), .not(let operand), .member(let operand, _, _): visit(operand, found)
        case .binary(_, let left, let right, _), .logical(_, let left, let right): visit(left, found); visit(right, found)
        case .conditional(let chosen, let condition, let otherwise): [chosen, condition, otherwise].forEach { visit($0, found) }
        case .call(let callee, let arguments): visit(callee, found); arguments.forEach { visit($0.value, found) }
        case .subscripts(let base, let items):
            visit(base, found)
            for item in items {
                switch item {
                case .index(let index): visit(index, found)
                case .slice(let start, let end, let step): [start, end, step].compactMap { $0 }.forEach { visit($0, found) }
                }
            }
        }
    }
}

/// Rewrites a function body: local names become slots.
private struct Rewriter {
    let slots: [Name: Int]

    func statement(_ statement: Statement) -> Statement {
        let kind: Statement.Kind
        switch statement.kind {
        case .assignment(let target, let value): kind = .assignment(self.target(target), expression(value))
        case .commandAssignment(let target, let command): kind = .commandAssignment(self.target(target), self.command(command))
        case .augmentedAssignment(let target, let op, let value, let operatorSpan):
            kind = .augmentedAssignment(self.target(target), op, expression(value), operatorSpan: operatorSpan)
        case .expression(let value): kind = .expression(expression(value))
        case .command(let command): kind = .command(self.command(command))
        case .conditional(let branches, let otherwise):
            kind = .conditional(branches.map { ConditionalBranch(condition: expression($0.condition), body: block($0.body)) },
                                otherwise: otherwise.map { block($0) })
        case .whileLoop(let condition, let body): kind = .whileLoop(expression(condition), block(body))
        case .forLoop(let target, let iterable, let body): kind = .forLoop(self.target(target), expression(iterable), block(body))
        case .returnValue(let value): kind = .returnValue(value.map { expression($0) })
        case .noGrad(let body): kind = .noGrad(block(body))
        case .function, .classDefinition, .breakLoop, .continueLoop, .pass, .global, .delete: kind = statement.kind
        }
        return Statement(kind: kind, span: statement.span)
    }

    func block(_ block: Block) -> Block {
        Block(statements: block.statements.map { statement($0) }, span: block.span)
    }

    func target(_ target: Target) -> Target {
        let kind: Target.Kind
        switch target.kind {
        case .name(let name): kind = slots[name].map { .local($0, name) } ?? .name(name)
        case .tuple(let items): kind = .tuple(items.map { self.target($0) })
        case .subscripts(let base, let items): kind = .subscripts(expression(base), items.map { $0.map { self.expression($0) } })
        case .member(let base, let name, let nameSpan): kind = .member(expression(base), name: name, nameSpan: nameSpan)
        case .local: kind = target.kind
        }
        return Target(kind: kind, span: target.span)
    }

    func command(_ command: Command) -> Command {
        Command(keyword: command.keyword, keywordSpan: command.keywordSpan, operands: command.operands.map { expression($0) }, topic: command.topic,
                clauses: command.clauses.map { Clause(name: $0.name, nameSpan: $0.nameSpan, value: $0.value.map { expression($0) }, symbol: $0.symbol) },
                span: command.span)
    }

    func expression(_ expression: Expression) -> Expression {
        let kind: Expression.Kind
        switch expression.kind {
        case .identifier(let name): kind = slots[name].map { .local($0, name) } ?? expression.kind
        case .number, .string, .boolean, .none, .local: kind = expression.kind
        case .list(let items): kind = .list(items.map { self.expression($0) })
        case .tuple(let items): kind = .tuple(items.map { self.expression($0) })
        case .negate(let operand): kind = .negate(self.expression(operand))
        case .not(let operand): kind = .not(self.expression(operand))
        case .binary(let op, let left, let right, let operatorSpan):
            kind = .binary(op, self.expression(left), self.expression(right), operatorSpan: operatorSpan)
        case .logical(let op, let left, let right): kind = .logical(op, self.expression(left), self.expression(right))
        case .conditional(let chosen, let condition, let otherwise):
            kind = .conditional(self.expression(chosen), condition: self.expression(condition), otherwise: self.expression(otherwise))
        case .comprehension(let element, let target, let source, let condition):
            kind = .comprehension(self.expression(element), self.target(target), in: self.expression(source), condition: condition.map { self.expression($0) })
        case .dictionary(let pairs): kind = .dictionary(pairs.map { (self.expression($0.key), self.expression($0.value)) })
        case .call(let callee, let arguments):
            kind = .call(self.expression(callee), arguments.map { Argument(label: $0.label, value: self.expression($0.value), span: $0.span) })
        case .subscripts(let base, let items): kind = .subscripts(self.expression(base), items.map { $0.map { self.expression($0) } })
        case .member(let base, let name, let nameSpan): kind = .member(self.expression(base), name: name, nameSpan: nameSpan)
        case .formatString(let parts):
            kind = .formatString(parts.map { part in
                if case .value(let value, let format) = part { return .value(self.expression(value), format: format) }
                return part
            })
        case .command(let command): kind = .command(self.command(command))
        }
        return Expression(kind: kind, span: expression.span)
    }
}
