import Diagnostics

/// Arguments matched to a signature's parameters.
struct BoundArguments {
    /// By parameter position, defaults filled in.
    var values: [Value]
    /// Extra positional values of a variadic function.
    var rest: [Value]
    /// Where each was written: by parameter name, variadic ones as "#0", "#1", ….
    var spans: [String: SourceSpan]
}

extension Interpreter {
    /// `callee(arguments)`. A method call `x.name(…)` finds the method in the object's table
    /// without making a function value first.
    func call(_ calleeExpression: Expression, _ arguments: [Argument], at span: SourceSpan) throws(Diagnostic) -> Value {
        if case .member(let baseExpression, let name, let nameSpan) = calleeExpression.kind {
            let base = try evaluate(baseExpression)
            if case .object(let instance as InstanceObject) = base, instance.attribute(name) == nil, let method = instance.type.methods[name],
               case .user(let definition) = method.body {
                // `net.forward(x)`: the class's function with self first, no bound function value made.
                if arguments.count + 1 == definition.parameters.count && arguments.allSatisfy({ $0.label == nil }) {
                    return try callWithArguments(definition, arguments, receiver: base, at: span)
                }
                return try call(Callable(boundMethod: method, to: base), arguments, try evaluateArguments(arguments), at: span)
            }
            if case .object(let object) = base, let method = object.method(named: name) {
                let values = try evaluateArguments(arguments)
                return try callMethod(method, on: object, arguments, values, at: span)
            }
            if case .list(let list) = base {
                return try callListMethod(list, name, arguments, try evaluateArguments(arguments), nameSpan: nameSpan, at: span)
            }
            if case .string(let text) = base {
                return try callStringMethod(text, name, arguments, try evaluateArguments(arguments), nameSpan: nameSpan, at: span)
            }
            return try call(try member(base, name, at: nameSpan), calleeExpression, arguments, at: span)
        }
        return try call(try evaluate(calleeExpression), calleeExpression, arguments, at: span)
    }

    private func evaluateArguments(_ arguments: [Argument]) throws(Diagnostic) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments { values.append(try evaluate(argument.value)) }
        return values
    }

    /// Calls a user function whose arguments are all positional and all given: each is evaluated
    /// straight into the new call's scope (after `receiver`, a method's self), with no array between.
    private func callWithArguments(_ definition: FunctionDefinition, _ arguments: [Argument], receiver: Value? = nil,
                                   at span: SourceSpan) throws(Diagnostic) -> Value {
        let locals = makeFrame(for: definition)
        var slot = 0
        if let receiver {
            locals.locals[0] = receiver
            slot = 1
        }
        for argument in arguments {
            do { locals.locals[slot] = try evaluate(argument.value) } catch {
                for index in 0...slot { locals.locals[index] = nil }
                throw error
            }
            slot += 1
        }
        return try run(definition, in: locals, at: span)
    }

    private func call(_ callee: Value, _ calleeExpression: Expression, _ arguments: [Argument], at span: SourceSpan) throws(Diagnostic) -> Value {
        if case .function(let function) = callee {
            if case .user(let definition) = function.body, arguments.count == definition.parameters.count, arguments.allSatisfy({ $0.label == nil }) {
                return try callWithArguments(definition, arguments, at: span)
            }
            if function === SuperObject.function { return try superObject(arguments, at: span) }
        }
        switch callee {
        case .function(let function):
            return try call(function, arguments, try evaluateArguments(arguments), at: span)
        case .object(let type as ClassObject):
            return try construct(type, arguments, try evaluateArguments(arguments), at: span)
        case .object(let instance as InstanceObject) where instance.type.methods["forward"] != nil || instance.type.methods["__call__"] != nil:
            // `model(x)` runs forward, as nn.Module's __call__ does.
            let method = instance.type.methods["__call__"] ?? instance.type.methods["forward"]!
            return try call(Callable(boundMethod: method, to: callee), arguments, try evaluateArguments(arguments), at: span)
        case .object(let object):
            guard let signature = object.callSignature else {
                throw Diagnostic("a \(object.typeName) cannot be called", at: calleeExpression.span,
                                 hint: object is InstanceObject ? "a class's instances are called through its forward: def forward(self, x): …"
                                     : "only functions, layers, models and losses can be called with ( )")
            }
            let bound = try bind(signature, arguments, try evaluateArguments(arguments), at: span)
            return try hostCall(span: span, what: object.typeName, argumentSpans: bound.spans) {
                try object.call(makeArguments(signature, bound, at: span))
            }
        default:
            throw Diagnostic("a \(callee.typeName) cannot be called", at: calleeExpression.span,
                             hint: "only functions, layers and models can be called with ( )")
        }
    }

    /// Calls a function value with evaluated arguments.
    func call(_ function: Callable, _ arguments: [Argument], _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        if case .user(let definition) = function.body, values.count == definition.parameters.count,
           arguments.allSatisfy({ $0.label == nil }) {
            // Every parameter given by position: nothing to match, no defaults to fill in.
            return try callUserFunction(definition, values, at: span)
        }
        let bound = try bind(function.signature, arguments, values, at: span)
        switch function.body {
        case .native(let implementation):
            return try hostCall(span: span, what: function.name, argumentSpans: bound.spans) {
                try implementation(makeArguments(function.signature, bound, at: span))
            }
        case .user(let definition):
            return try callUserFunction(definition, bound.values, at: span)
        case .boundMethod(let definition, let receiver):
            return try callUserFunction(definition, [receiver] + bound.values, at: span)
        case .method(let method, let receiver):
            return try hostCall(span: span, what: function.name, argumentSpans: bound.spans) {
                try method.implementation(receiver, makeArguments(function.signature, bound, at: span))
            }
        }
    }

    /// Calls a function with positional values (the host calling a class's forward).
    func call(_ function: Callable, _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        let arguments = values.map { _ in Argument(label: nil, value: Expression(kind: .none, span: span), span: span) }
        return try call(function, arguments, values, at: span)
    }

    /// `Name(…)`: a new instance, then `__init__(self, …)`; the instance is the value.
    private func construct(_ type: ClassObject, _ arguments: [Argument], _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        let object = InstanceObject(type, support: registry.instanceSupport, interpreter: self)
        object.constructionArguments = zip(arguments.map(\.label), values).map { ($0, $1) }
        let instance = Value.object(object)
        guard let initializer = type.methods["__init__"] else {
            guard values.isEmpty else {
                throw Diagnostic("\(type.name)() takes no arguments: the class has no __init__", at: span,
                                 hint: "def __init__(self, …): in the class takes them")
            }
            return instance
        }
        let result = try call(Callable(boundMethod: initializer, to: instance), arguments, values, at: span)
        guard case .none = result else {
            throw Diagnostic("__init__ of \(type.name) returned a \(result.typeName); it must return nothing", at: span,
                             hint: "set attributes on self instead of returning")
        }
        return instance
    }

    private func callMethod(_ method: HostMethod, on object: any HostObject, _ arguments: [Argument], _ values: [Value],
                            at span: SourceSpan) throws(Diagnostic) -> Value {
        let bound = try bind(method.signature, arguments, values, at: span)
        return try hostCall(span: span, what: "\(object.typeName).\(method.signature.name)", argumentSpans: bound.spans) {
            try method.implementation(object, makeArguments(method.signature, bound, at: span))
        }
    }

    private func makeArguments(_ signature: Signature, _ bound: BoundArguments, at span: SourceSpan) -> Arguments {
        Arguments(signature: signature, bound: bound.values, rest: bound.rest, spans: bound.spans, callSpan: span, context: context)
    }

    /// Matches arguments to parameters: positional in order, then by name; checks counts and names.
    func bind(_ signature: Signature, _ arguments: [Argument], _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> BoundArguments {
        var bound = [Value?](repeating: nil, count: signature.parameters.count)
        var spans: [String: SourceSpan] = [:], rest: [Value] = []
        var nextPositional = 0
        for (argument, value) in zip(arguments, values) {
            if let label = argument.label {
                guard let index = signature.index(ofLabel: label) else {
                    let suggestion = Suggestions.closest(to: label, in: signature.parameters.map(\.name))
                    throw Diagnostic("\(signature.name) has no parameter named '\(label)'", at: argument.span,
                                     hint: suggestion.map { "did you mean '\($0)'?" } ?? "usage: \(signature.text)")
                }
                guard bound[index] == nil else {
                    throw Diagnostic("'\(label)' is given twice", at: argument.span, hint: "usage: \(signature.text)")
                }
                bound[index] = value
                spans[signature.parameters[index].name] = argument.span
                continue
            }
            while nextPositional < signature.parameters.count && signature.parameters[nextPositional].namedOnly { nextPositional += 1 }
            if nextPositional < signature.parameters.count {
                guard bound[nextPositional] == nil else {
                    throw Diagnostic("'\(signature.parameters[nextPositional].name)' is given twice", at: argument.span,
                                     hint: "put positional arguments before named ones: \(signature.text)")
                }
                bound[nextPositional] = value
                spans[signature.parameters[nextPositional].name] = argument.span
                nextPositional += 1
            } else if signature.variadic != nil {
                spans["#\(rest.count)"] = argument.span
                rest.append(value)
            } else {
                let count = signature.parameters.filter { !$0.namedOnly }.count
                let given = arguments.filter { $0.label == nil }.count
                throw Diagnostic("\(signature.name) takes \(count) positional argument\(count == 1 ? "" : "s") but \(given) were given",
                                 at: argument.span, hint: "usage: \(signature.text)")
            }
        }
        var complete: [Value] = []
        complete.reserveCapacity(bound.count)
        for (index, parameter) in signature.parameters.enumerated() {
            guard let value = bound[index] ?? parameter.defaultValue else {
                throw Diagnostic("\(signature.name) is missing its '\(parameter.name)' argument", at: span, hint: "usage: \(signature.text)")
            }
            complete.append(value)
        }
        return BoundArguments(values: complete, rest: rest, spans: spans)
    }
}
