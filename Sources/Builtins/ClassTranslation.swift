import Diagnostics
import Language
import Training

/// `export` of a model written as a class: the class, and what of the session it uses (other
/// classes, functions, number and string constants), written as Python with each builtin spelled
/// as PyTorch spells it (`linear` → `nn.Linear`, `relu(x)` → `torch.relu(x)`, `axis:` → `dim=`),
/// then `class Model(Name)` with the arguments the instance was made with, so that the rest of
/// the script builds it as `Model()` and its `state_dict` names are the ones `save` writes.
/// Attributes that hold several layers become `nn.ModuleList`, weights made with `grad: true`
/// `nn.Parameter`, as PyTorch must be told what `ModuleSupport` finds by looking.
struct ClassTranslation {
    private let variables: [String: Value]
    /// Per class: the attributes whose assignment in `__init__` needs a PyTorch wrapper.
    private var wrappers: [String: [String: String]] = [:]
    private var constants: [String] = []
    private var definitions: [String] = []
    private var written: Set<String> = []

    /// The Python code of `instance`'s class and everything it uses, ending with `class Model`.
    static func code(for instance: InstanceObject, variables: [String: Value]) throws(HostError) -> String {
        var translation = ClassTranslation(variables: variables)
        translation.collectWrappers(of: instance)
        try translation.writeClass(instance.type)
        let made = try instance.constructionArguments.map { argument throws(HostError) in
            let value = try literal(argument.value, what: "the argument \(argument.label ?? "") of \(instance.type.name)(…)")
            guard let label = argument.label else { return value }
            return "\(try pythonName(label))=\(value)"
        }.joined(separator: ", ")
        let model = """
            class Model(\(instance.type.name)):
                \"\"\"\(PythonText.docstring("\(instance.type.name)(\(made)), as the model was made in tensorbook."))\"\"\"

                def __init__(self):
                    super().__init__(\(made))
            """
        let parts = (translation.constants.isEmpty ? [] : [translation.constants.joined(separator: "\n")]) + translation.definitions + [model]
        return parts.joined(separator: "\n\n\n")
    }

    private init(variables: [String: Value]) {
        self.variables = variables
    }

    /// Walks the live instances for attributes PyTorch must be told about.
    private mutating func collectWrappers(of instance: InstanceObject) {
        for (name, value) in instance.attributes {
            switch value {
            case .object(let tensor as TensorObject) where tensor.tensor.requiresGrad && tensor.tensor.isLeaf:
                wrappers[instance.type.name, default: [:]][name] = "nn.Parameter"
            case .object(let part as InstanceObject): collectWrappers(of: part)
            case .list, .tuple:
                let items = value.items ?? []
                if items.contains(where: Self.isModule) { wrappers[instance.type.name, default: [:]][name] = "nn.ModuleList" }
                for case .object(let part as InstanceObject) in items { collectWrappers(of: part) }
            default: break
            }
        }
    }

    private static func isModule(_ value: Value) -> Bool {
        switch value {
        case .object(is LayerObject), .object(is ModelObject), .object(is InstanceObject): true
        default: false
        }
    }

    // MARK: Definitions

    private mutating func writeClass(_ type: ClassObject) throws(HostError) {
        guard written.insert(type.name).inserted else { return }
        if let base = type.base { try writeClass(base) }
        var lines = PythonLines()
        let defaultBase = type.isAutogradFunction ? "torch.autograd.Function" : "nn.Module"
        lines.add("class \(try Self.pythonName(type.name))(\(try type.base.map { base throws(HostError) in try Self.pythonName(base.name) } ?? defaultBase)):")
        lines.indent()
        if !type.definition.documentation.isEmpty { lines.add("\"\"\"\(PythonText.docstring(type.definition.documentation))\"\"\"") }
        var methods: [String] = []
        for method in type.definition.methods {
            methods.append(try function(method, in: type.name).indentedOnce)
        }
        definitions.append(([lines.text] + methods).joined(separator: "\n\n"))
    }

    private mutating func writeFunction(_ definition: FunctionDefinition) throws(HostError) {
        guard written.insert(definition.name.text).inserted else { return }
        let code = try function(definition, in: nil)
        definitions.append(code)
    }

    /// `def name(parameters):` and its body; `className` when it is a method.
    private mutating func function(_ definition: FunctionDefinition, in className: String?) throws(HostError) -> String {
        var context = FunctionContext(className: className, method: definition.name.text)
        let parameters = try definition.parameters.map { parameter throws(HostError) in
            let name = try Self.pythonName(parameter.name.text)
            guard let defaultValue = parameter.defaultValue else { return name }
            return "\(name)=\(try expression(defaultValue, &context))"
        }
        var lines = PythonLines()
        if definition.isStatic { lines.add("@staticmethod") }
        lines.add("def \(try Self.pythonName(definition.name.text))(\(parameters.joined(separator: ", "))):")
        lines.indent()
        if !definition.documentation.isEmpty { lines.add("\"\"\"\(PythonText.docstring(definition.documentation))\"\"\"") }
        if context.isInitializer && !Self.callsSuperInitializer(definition.body) { lines.add("nn.Module.__init__(self)") }
        try block(definition.body, into: &lines, &context)
        return lines.text
    }

    /// Whether `__init__` calls `super().__init__(…)` itself (PyTorch needs nn.Module's before any
    /// layer is set; tensorbook does not, so a class written without it gets `nn.Module.__init__(self)`,
    /// which leaves a base class's own `__init__` uncalled, as the class asked).
    private static func callsSuperInitializer(_ body: Block) -> Bool {
        body.statements.contains { statement in
            guard case .expression(let value) = statement.kind, case .call(let callee, _) = value.kind,
                  case .member(let base, "__init__", _) = callee.kind, case .call(let function, _) = base.kind,
                  case .identifier(let name) = function.kind else { return false }
            return name.text == "super"
        }
    }

    // MARK: Statements

    private struct FunctionContext {
        let className: String?
        let method: String
        var isInitializer: Bool { className != nil && method == "__init__" }
    }

    private mutating func block(_ block: Block, into lines: inout PythonLines, _ context: inout FunctionContext) throws(HostError) {
        if block.statements.isEmpty { lines.add("pass") }
        for statement in block.statements { try self.statement(statement, into: &lines, &context) }
    }

    private mutating func indentedBlock(_ body: Block, into lines: inout PythonLines, _ context: inout FunctionContext) throws(HostError) {
        lines.indent()
        defer { lines.dedent() }
        try block(body, into: &lines, &context)
    }

    private mutating func statement(_ statement: Statement, into lines: inout PythonLines, _ context: inout FunctionContext) throws(HostError) {
        switch statement.kind {
        case .assignment(let target, let value):
            lines.add("\(try self.target(target, &context)) = \(try wrapped(value, assignedTo: target, &context))")
        case .augmentedAssignment(let target, let op, let value, _):
            lines.add("\(try self.target(target, &context)) \(op.rawValue)= \(try expression(value, &context))")
        case .expression(let value): lines.add(try expression(value, &context))
        case .command(let command): lines.add(try self.command(command, &context))
        case .commandAssignment(_, let command): throw Self.untranslatable("the command '\(command.keyword)'", at: command.span)
        case .conditional(let branches, let otherwise):
            for (index, branch) in branches.enumerated() {
                lines.add("\(index == 0 ? "if" : "elif") \(try expression(branch.condition, &context)):")
                try indentedBlock(branch.body, into: &lines, &context)
            }
            if let otherwise {
                lines.add("else:")
                try indentedBlock(otherwise, into: &lines, &context)
            }
        case .whileLoop(let condition, let body):
            lines.add("while \(try expression(condition, &context)):")
            try indentedBlock(body, into: &lines, &context)
        case .forLoop(let target, let iterable, let body):
            lines.add("for \(try self.target(target, &context)) in \(try expression(iterable, &context)):")
            try indentedBlock(body, into: &lines, &context)
        case .noGrad(let body):
            lines.add("with torch.no_grad():")
            try indentedBlock(body, into: &lines, &context)
        case .function(let definition):
            for line in try function(definition, in: nil).split(separator: "\n", omittingEmptySubsequences: false) { lines.add(String(line)) }
        case .classDefinition(let definition): throw Self.untranslatable("a class inside a function", at: definition.headerSpan)
        case .returnValue(let value): lines.add(try optional(value, &context).map { "return \($0)" } ?? "return")
        case .breakLoop: lines.add("break")
        case .continueLoop: lines.add("continue")
        case .pass: lines.add("pass")
        case .global(let names): lines.add("global " + (try names.map { name throws(HostError) in try Self.pythonName(name.text) }).joined(separator: ", "))
        case .delete(let name): lines.add("del \(try Self.pythonName(name.text))")
        }
    }

    /// `self.layers = [...]` in `__init__` as `nn.ModuleList([...])`, a weight as `nn.Parameter(...)`.
    private mutating func wrapped(_ value: Expression, assignedTo target: Target, _ context: inout FunctionContext) throws(HostError) -> String {
        let code = try expression(value, &context)
        guard context.isInitializer, let className = context.className, case .member(let base, let name, _) = target.kind,
              case .local(0, _) = base.kind, let wrapper = wrappers[className]?[name] else { return code }
        return "\(wrapper)(\(code))"
    }

    /// `print a, b` → `print(a, b)`; no other command has a PyTorch spelling inside a method.
    private mutating func command(_ command: Command, _ context: inout FunctionContext) throws(HostError) -> String {
        guard command.keyword == "print", command.clauses.isEmpty else { throw Self.untranslatable("the command '\(command.keyword)'", at: command.span) }
        return "print(" + (try command.operands.map { item throws(HostError) in try expression(item, &context) }).joined(separator: ", ") + ")"
    }

    private mutating func target(_ target: Target, _ context: inout FunctionContext) throws(HostError) -> String {
        switch target.kind {
        case .name(let name), .local(_, let name): return try Self.pythonName(name.text)
        case .tuple(let items):
            let parts = try items.map { item throws(HostError) in try self.target(item, &context) }
            return parts.joined(separator: ", ") + (parts.count == 1 ? "," : "")
        case .subscripts(let base, let items): return try expression(Expression(kind: .subscripts(base, items), span: target.span), &context)
        case .member(let base, let name, let span): return try expression(Expression(kind: .member(base, name: name, nameSpan: span), span: target.span), &context)
        }
    }

    // MARK: Expressions

    /// Python's binding strength of an expression's outermost form (higher binds tighter).
    private static func precedence(_ expression: Expression) -> Int {
        switch expression.kind {
        case .conditional: 1
        case .logical(.or, _, _): 2
        case .logical(.and, _, _): 3
        case .not: 4
        case .binary(let op, _, _, _): precedence(op)
        case .negate: 9
        default: 11
        }
    }

    private static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .add, .subtract: 7
        case .multiply, .divide, .floorDivide, .remainder, .matrixMultiply: 8
        case .power: 10
        default: 5
        }
    }

    /// `expression`, in brackets when it binds looser than `least`.
    private mutating func operand(_ expression: Expression, atLeast least: Int, _ context: inout FunctionContext) throws(HostError) -> String {
        let code = try self.expression(expression, &context)
        return Self.precedence(expression) < least ? "(\(code))" : code
    }

    private mutating func expression(_ expression: Expression, _ context: inout FunctionContext) throws(HostError) -> String {
        switch expression.kind {
        case .number(let value): return Self.number(value)
        case .string(let text): return PythonText.literal(text)
        case .boolean(let value): return value ? "True" : "False"
        case .none: return "None"
        case .local(_, let name): return try Self.pythonName(name.text)
        case .identifier(let name): return try global(name.text, at: expression.span, called: false)
        case .list(let items): return "[" + (try items.map { item throws(HostError) in try self.expression(item, &context) }).joined(separator: ", ") + "]"
        case .tuple(let items):
            let parts = try items.map { item throws(HostError) in try self.expression(item, &context) }
            return "(" + parts.joined(separator: ", ") + (parts.count == 1 ? ",)" : ")")
        case .negate(let value): return "-" + (try operand(value, atLeast: 9, &context))
        case .not(let value): return "not " + (try operand(value, atLeast: 4, &context))
        case .binary(let op, let left, let right, _):
            let level = Self.precedence(op)
            let (leftLevel, rightLevel) = op == .power ? (level + 1, 9) : level == 5 ? (level + 1, level + 1) : (level, level + 1)
            return "\(try operand(left, atLeast: leftLevel, &context)) \(op.rawValue) \(try operand(right, atLeast: rightLevel, &context))"
        case .logical(let op, let left, let right):
            let level = op == .or ? 2 : 3
            return "\(try operand(left, atLeast: level, &context)) \(op.rawValue) \(try operand(right, atLeast: level + 1, &context))"
        case .comprehension(let element, let target, let source, let condition):
            let filter = try optional(condition, &context).map { " if \($0)" } ?? ""
            return "[\(try self.expression(element, &context)) for \(try self.target(target, &context)) in \(try operand(source, atLeast: 2, &context))\(filter)]"
        case .dictionary(let pairs):
            let entries = try pairs.map { pair throws(HostError) in "\(try self.expression(pair.key, &context)): \(try self.expression(pair.value, &context))" }
            return "{" + entries.joined(separator: ", ") + "}"
        case .conditional(let chosen, let condition, let otherwise):
            return "\(try operand(chosen, atLeast: 2, &context)) if \(try operand(condition, atLeast: 2, &context)) else \(try operand(otherwise, atLeast: 1, &context))"
        case .call(let callee, let arguments): return try call(callee, arguments, at: expression.span, &context)
        case .subscripts(let base, let items):
            let parts = try items.map { item throws(HostError) -> String in
                switch item {
                case .index(let index): return try self.expression(index, &context)
                case .slice(let start, let end, let step):
                    let bounds = [try optional(start, &context) ?? "", try optional(end, &context) ?? ""]
                    return bounds.joined(separator: ":") + (try optional(step, &context).map { ":" + $0 } ?? "")
                }
            }
            return "\(try operand(base, atLeast: 11, &context))[\(parts.joined(separator: ", "))]"
        case .member(let base, let name, _):
            let spelled = if let renamed = Self.memberNames[name] { renamed } else { try Self.pythonName(name) }
            return "\(try operand(base, atLeast: 11, &context)).\(spelled)"
        case .formatString(let parts): return try format(parts, at: expression.span, &context)
        case .command(let command): throw Self.untranslatable("the command '\(command.keyword)'", at: command.span)
        }
    }

    private mutating func optional(_ expression: Expression?, _ context: inout FunctionContext) throws(HostError) -> String? {
        guard let expression else { return nil }
        return try self.expression(expression, &context)
    }

    /// Tensor members whose PyTorch name differs.
    private static let memberNames = ["count": "numel()", "rank": "dim()"]

    /// `f"loss {x:.4f}"` → `"loss {:.4f}".format(x)` (the same format specifications).
    private mutating func format(_ parts: [FormatPart], at span: SourceSpan, _ context: inout FunctionContext) throws(HostError) -> String {
        var template = "", values: [String] = []
        for part in parts {
            switch part {
            case .text(let text): template += text.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
            case .value(let value, let format):
                if let format, !format.allSatisfy({ $0.isLetter || $0.isNumber || ".,<>^=+- %#_".contains($0) }) {
                    throw Self.untranslatable("the format '\(format)'", at: span)
                }
                template += "{" + (format.map { ":" + $0 } ?? "") + "}"
                values.append(try expression(value, &context))
            }
        }
        return PythonText.literal(template) + ".format(" + values.joined(separator: ", ") + ")"
    }

    /// A name the function did not assign: a builtin, or a class, function or constant of the session.
    private mutating func global(_ name: String, at span: SourceSpan, called: Bool) throws(HostError) -> String {
        if let value = variables[name] {
            switch value {
            case .object(let type as ClassObject): try writeClass(type)
            case .function(let function) where function.userDefinition != nil: try writeFunction(function.userDefinition!)
            case .number, .string, .bool, .none, .list, .tuple:
                if written.insert(name).inserted { constants.append("\(try Self.pythonName(name)) = \(try Self.literal(value, what: "'\(name)'"))") }
            default:
                throw HostError("export cannot write \(name), a \(value.typeName) of this session, into the class's Python",
                                hint: "make it inside __init__, or pass it to the class as an argument")
            }
            return try Self.pythonName(name)
        }
        if !called, let layer = Self.bareLayers[name] { return layer }
        if let spelled = Self.pythonBuiltins[name] { return spelled }
        throw Self.untranslatable("'\(name)'", at: span)
    }

    private mutating func call(_ callee: Expression, _ arguments: [Argument], at span: SourceSpan, _ context: inout FunctionContext) throws(HostError) -> String {
        var spelling: Spelling?
        var function: String
        switch callee.kind {
        case .identifier(let name) where variables[name.text] == nil && Self.calls[name.text] != nil:
            spelling = Self.calls[name.text]
            function = spelling!.callee
        case .identifier(let name): function = try global(name.text, at: callee.span, called: true)
        case .member(let base, let name, _):
            spelling = Self.methodSpellings[name] ?? Spelling(callee: name, labels: Self.tensorLabels)
            function = "\(try operand(base, atLeast: 11, &context)).\(try Self.pythonName(spelling!.callee))"
        default: function = try operand(callee, atLeast: 11, &context)
        }
        var written = try arguments.map { argument throws(HostError) -> String in
            let value = try expression(argument.value, &context)
            guard let label = argument.label else { return value }
            return "\(try Self.pythonName(spelling?.labels[label] ?? label))=\(value)"
        }
        if let implied = spelling?.implied, !implied.isEmpty, !written.contains(where: { $0.hasPrefix(implied.prefix { $0 != "=" } + "=") }) {
            let isDefaultDimension = implied.hasPrefix("dim=")
            if !isDefaultDimension || !arguments.contains(where: { $0.label == "axis" }) { written.append(implied) }
        }
        return "\(function)(\(written.joined(separator: ", ")))\(spelling?.suffix ?? "")"
    }

}

/// Lines of Python at an indentation.
private struct PythonLines {
    private(set) var lines: [String] = []
    private var depth = 0

    mutating func add(_ line: String) {
        lines.append(String(repeating: "    ", count: depth) + line)
    }

    mutating func indent() { depth += 1 }
    mutating func dedent() { depth -= 1 }

    var text: String { lines.joined(separator: "\n") }
}

private extension String {
    /// Every line indented by four spaces (a method inside its class).
    var indentedOnce: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }
}
