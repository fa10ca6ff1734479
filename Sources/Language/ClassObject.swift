import Diagnostics
import Display

/// A class written with `class Name:`; calling it makes an instance and runs `__init__`.
public final class ClassObject: HostObject, @unchecked Sendable {
    public let definition: ClassDefinition
    /// The class it extends, if any.
    public let base: ClassObject?
    /// Each method as a function whose first parameter is `self`, by name (defaults evaluated
    /// when the class statement ran, as Python evaluates them).
    let methods: [String: Callable]
    /// Runs the class's methods for the host (an autograd function's forward and backward).
    weak var interpreter: Interpreter?

    init(_ definition: ClassDefinition, methods: [String: Callable], base: ClassObject?, interpreter: Interpreter) {
        self.definition = definition
        self.methods = methods
        self.base = base
        self.interpreter = interpreter
    }

    /// The class's name.
    public var name: String { definition.name.text }
    public var typeName: String { "class" }
    public var summary: String { "class \(name)" }
    public func display() -> [DisplayValue] {
        [.text("class \(name)(\(initializerText))" + (definition.documentation.isEmpty ? "" : "\n  \(definition.documentation)"))]
    }
    public var memberNames: [String] { (methods.keys.filter { !$0.hasPrefix("__") } + (isAutogradFunction ? ["apply"] : [])).sorted() }

    /// Whether the class is based on `torch.autograd.Function`.
    public var isAutogradFunction: Bool { definition.isAutogradFunction }

    /// `Net.forward`: the function itself, taking `self` first; `Fn.apply` of an autograd function.
    public func member(_ name: String) throws(HostError) -> Value {
        if name == "apply", isAutogradFunction, methods["apply"] == nil { return .function(applyFunction) }
        guard let method = methods[name] else { throw HostError("class \(self.name) has no method '\(name)'", hint: memberHint(for: name)) }
        return .function(method)
    }

    /// `Fn.apply(…)`: forward(ctx, …) without recording, its result recorded as one operation whose
    /// backward is the class's backward(ctx, grad) (PyTorch's custom autograd function).
    private var applyFunction: Callable {
        Callable("apply", variadic: "inputs", documentation: "Runs \(name).forward(ctx, …) and records \(name).backward for the gradient.") { [self] arguments in
            guard let interpreter, let support = interpreter.registry.autogradFunctions else {
                throw HostError("the session that defined \(name) has ended")
            }
            return try support.apply(self, arguments.rest, at: arguments.callSpan)
        }
    }

    /// Runs a static method (or one given its first argument) with these arguments, for the host.
    public func callMethod(_ name: String, _ arguments: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        guard let method = methods[name] else {
            throw Diagnostic("class \(self.name) has no method '\(name)'", at: span, hint: "define it in the class: def \(name)(…):")
        }
        guard let interpreter else { throw Diagnostic("the session that defined \(self.name) has ended", at: span) }
        return try interpreter.call(method, arguments, at: span)
    }

    /// What calling the class takes: `__init__`'s parameters after `self`.
    var initializerSignature: Signature {
        let parameters = methods["__init__"].map { Array($0.signature.parameters.dropFirst()) } ?? []
        return Signature(name, parameters: parameters, documentation: definition.documentation)
    }

    private var initializerText: String {
        let text = initializerSignature.text
        return String(text.dropFirst(name.count + 1).dropLast())
    }
}

/// How the host runs `Fn.apply(…)` for a class based on `torch.autograd.Function`: only the host
/// has tensors and their graph.
public protocol AutogradFunctionSupport: AnyObject, Sendable {
    /// Calls `function`'s forward with a fresh context and these inputs, recording its backward.
    func apply(_ function: ClassObject, _ inputs: [Value], at span: SourceSpan) throws -> Value
}

/// What the host adds to every instance (Builtins: nn.Module's `parameters()`, `zero_grad()`,
/// `train()`, its printout), since only the host knows which attributes are layers and weights.
public protocol InstanceSupport: AnyObject, Sendable {
    /// A method every instance has unless its class defines one of that name.
    func method(named name: String) -> HostMethod?
    /// The names of those methods.
    var methodNames: [String] { get }
    /// One line for `print` ("TwoLayerNet with 3 layers, 1,234 parameters"); nil for the default.
    func summary(of instance: InstanceObject) -> String?
    /// What a bare expression statement shows; nil for the default.
    func display(_ instance: InstanceObject) -> [DisplayValue]?
    /// What `show` shows; nil for the default.
    func show(_ instance: InstanceObject) -> [DisplayValue]?
}

/// An object made by calling a class: its attributes in the order first assigned (as PyTorch
/// registers a module's parameters and children), its class's methods, and what the host adds.
public final class InstanceObject: HostObject, @unchecked Sendable {
    public let type: ClassObject
    private var names: [String] = []
    private var values: [String: Value] = [:]
    /// State the host keeps for this instance (the model it trains as, with its optimizer).
    public var hostState: AnyObject?
    /// The arguments the class was called with, in order (`export` writes them into the script).
    public internal(set) var constructionArguments: [(label: String?, value: Value)] = []
    let support: (any InstanceSupport)?
    /// Runs the class's methods for the host (a `train` calling `forward`).
    weak var interpreter: Interpreter?

    init(_ type: ClassObject, support: (any InstanceSupport)?, interpreter: Interpreter) {
        self.type = type
        self.support = support
        self.interpreter = interpreter
    }

    /// The attributes, in the order each was first assigned.
    public var attributes: [(name: String, value: Value)] { names.map { ($0, values[$0]!) } }

    /// One attribute, or nil.
    public func attribute(_ name: String) -> Value? { values[name] }

    public var typeName: String { type.name }
    public var summary: String { support?.summary(of: self) ?? "\(type.name) object" }
    public func display() -> [DisplayValue] { support?.display(self) ?? [.text(defaultPrintout)] }
    public func show() -> [DisplayValue] { support?.show(self) ?? display() }

    /// `Name(a=1, b=[2, 3])`.
    private var defaultPrintout: String {
        "\(type.name)(" + attributes.map { "\($0.name)=\($0.value.quotedDescription)" }.joined(separator: ", ") + ")"
    }

    public var memberNames: [String] {
        Array(Set(names + type.memberNames + (support?.methodNames ?? []))).sorted()
    }

    /// An attribute, else a method of the class bound to this instance.
    public func member(_ name: String) throws(HostError) -> Value {
        if let value = values[name] { return value }
        if let method = type.methods[name] {
            return .function(method.userDefinition?.isStatic == true ? method : Callable(boundMethod: method, to: .object(self)))
        }
        throw HostError("\(type.name) has no attribute '\(name)'",
                        hint: memberHint(for: name) ?? "set it in __init__: self.\(name) = …")
    }

    /// The host's method of this name, unless the class defines its own or an attribute hides it.
    public func method(named name: String) -> HostMethod? {
        guard values[name] == nil, type.methods[name] == nil else { return nil }
        return support?.method(named: name)
    }

    /// `self.name = value`.
    public func setMember(_ name: String, to value: Value) throws(HostError) {
        if values.updateValue(value, forKey: name) == nil { names.append(name) }
    }

    /// Runs one of the class's methods with these arguments after `self` (for the host).
    public func callMethod(_ name: String, _ arguments: [Value], at span: SourceSpan) throws(Diagnostic) -> Value {
        guard let method = type.methods[name] else {
            throw Diagnostic("\(type.name) has no method '\(name)'", at: span, hint: "define it in the class: def \(name)(self, …):")
        }
        guard let interpreter else { throw Diagnostic("the session that made this \(type.name) has ended", at: span) }
        return try interpreter.call(method, [.object(self)] + arguments, at: span)
    }
}

/// What `super()` gives inside a method: the base class's methods bound to self. Without a base
/// class (nn.Module), `super().__init__()`, which PyTorch's modules must call, has nothing to do
/// here (a class is a module already), so it is accepted and does nothing.
final class SuperObject: HostObject, @unchecked Sendable {
    /// The class whose methods it offers; nil for nn.Module.
    let base: ClassObject?
    /// Self, for the base's methods.
    let receiver: Value?

    init(base: ClassObject?, receiver: Value?) {
        self.base = base
        self.receiver = receiver
    }

    var typeName: String { "super" }
    var summary: String { base.map { "super() of \($0.name)" } ?? "super()" }
    var memberNames: [String] { Array(Set(["__init__"] + (base?.methods.keys.map { $0 } ?? []))).sorted() }
    /// The do-nothing `__init__`, unless the base class has its own.
    func method(named name: String) -> HostMethod? {
        name == "__init__" && base?.methods["__init__"] == nil ? Self.initializer : nil
    }

    /// `super().forward`: the base class's method with self bound.
    func member(_ name: String) throws(HostError) -> Value {
        guard let base, let method = base.methods[name], let receiver else {
            throw HostError("super() has no method '\(name)'", hint: base.map { "\($0.name) has: \($0.memberNames.joined(separator: ", "))" })
        }
        return .function(Callable(boundMethod: method, to: receiver))
    }

    private static let initializer = HostMethod("__init__", on: SuperObject.self, variadic: "arguments",
                                                documentation: "Accepted for PyTorch's super().__init__(); does nothing.") { _, _ in .none }

    /// The function `super`.
    static let function = Callable("super", variadic: "arguments",
                                   documentation: "super().__init__() as PyTorch modules write it: accepted, does nothing (a class is an nn.Module already).") { _ in
        .object(SuperObject(base: nil, receiver: nil))
    }
}
