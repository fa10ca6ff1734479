import Diagnostics
import Display

/// What a function takes and what it is for: the one description shared by builtins, user
/// functions and host methods. Binding, `help`, completion and error messages read it.
public struct Signature: Sendable {
    /// How `help` groups entries.
    public enum Kind: String, Sendable, CaseIterable {
        case function, layer, preset, dataset
    }

    /// One parameter; with a default it is optional (and can be given by name).
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: Value?
        /// Only by name (`stride:`), never by position.
        public let namedOnly: Bool
        /// Other names it may be given by (PyTorch's `dim` for `axis`).
        public let aliases: [String]

        /// A required parameter.
        public init(_ name: String, namedOnly: Bool = false, aliases: [String] = []) {
            self.name = name
            defaultValue = nil
            self.namedOnly = namedOnly
            self.aliases = aliases
        }

        /// An optional parameter. (Not `Value?`: then `default: .none` would mean "no default"
        /// rather than the language's `none`.)
        public init(_ name: String, default defaultValue: Value, namedOnly: Bool = false, aliases: [String] = []) {
            self.name = name
            self.defaultValue = defaultValue
            self.namedOnly = namedOnly
            self.aliases = aliases
        }

        /// Whether a keyword argument's label names this parameter.
        func isNamed(_ label: String) -> Bool { name == label || aliases.contains(label) }
    }

    public let name: String
    public let kind: Kind
    public let parameters: [Parameter]
    /// Extra positional arguments collected under this name (e.g. `mlp(10, 64, 1)` takes `sizes…`).
    public let variadic: String?
    /// One line saying what it does (a user function's docstring).
    public let documentation: String

    /// A signature.
    public init(_ name: String, kind: Kind = .function, parameters: [Parameter] = [], variadic: String? = nil, documentation: String) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.variadic = variadic
        self.documentation = documentation
    }

    /// `conv2d(in, out, kernel, stride: 1, padding: 0)`
    public var text: String {
        var parts = parameters.map { parameter in
            parameter.defaultValue.map { "\(parameter.name): \($0.quotedDescription)" } ?? parameter.name
        }
        if let variadic { parts.append("\(variadic)…") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// The signature and, on the next line, what it does (`help NAME`).
    public var helpText: String {
        documentation.isEmpty ? text : "\(text)\n  \(documentation)"
    }

    /// The position of a parameter.
    func index(of name: String) -> Int? { parameters.firstIndex { $0.name == name } }

    /// The position of the parameter a keyword argument's label names (its name or an alias).
    func index(ofLabel label: String) -> Int? { parameters.firstIndex { $0.isNamed(label) } }
}

/// Something that can be called: a builtin, a user function, or a method bound to an object.
/// Functions are values (`f = relu`, `apply(f, x)`), compared by identity.
public final class Callable: Sendable {
    /// How a call runs.
    enum Body: Sendable {
        case native(@Sendable (Arguments) throws -> Value)
        case user(FunctionDefinition)
        case method(HostMethod, receiver: any HostObject)
        /// A class's method with its `self` given (`net.forward`).
        case boundMethod(FunctionDefinition, receiver: Value)
    }

    public let signature: Signature
    let body: Body

    /// The `def` of a function written in the language; nil for a builtin or a host method.
    public var userDefinition: FunctionDefinition? {
        if case .user(let definition) = body { definition } else { nil }
    }

    /// A builtin implemented by the host.
    public init(_ signature: Signature, implementation: @escaping @Sendable (Arguments) throws -> Value) {
        self.signature = signature
        body = .native(implementation)
    }

    /// A builtin implemented by the host, described in place.
    public convenience init(_ name: String, kind: Signature.Kind = .function, parameters: [Signature.Parameter] = [], variadic: String? = nil,
                            documentation: String, implementation: @escaping @Sendable (Arguments) throws -> Value) {
        self.init(Signature(name, kind: kind, parameters: parameters, variadic: variadic, documentation: documentation),
                  implementation: implementation)
    }

    init(_ definition: FunctionDefinition, signature: Signature) {
        self.signature = signature
        body = .user(definition)
    }

    /// A class's method (a user function taking `self` first) bound to an instance.
    init(boundMethod method: Callable, to receiver: Value) {
        let whole = method.signature
        signature = Signature(whole.name, kind: whole.kind, parameters: Array(whole.parameters.dropFirst()), documentation: whole.documentation)
        guard case .user(let definition) = method.body else { preconditionFailure("only user methods are bound") }
        body = .boundMethod(definition, receiver: receiver)
    }

    init(_ method: HostMethod, boundTo receiver: any HostObject) {
        signature = method.signature
        body = .method(method, receiver: receiver)
    }

    /// The function's name.
    public var name: String { signature.name }
}

/// The arguments of one call, bound to the parameters, with their source locations and the
/// context of the running program.
public struct Arguments: Sendable {
    /// What was called.
    public let signature: Signature
    /// Values by parameter position (defaults filled in).
    let bound: [Value]
    /// Extra positional values for a variadic function.
    public let rest: [Value]
    /// Where each argument was written: by parameter name, variadic ones as "#0", "#1", ….
    let spans: [String: SourceSpan]
    /// The whole call.
    public let callSpan: SourceSpan
    /// The running program's output and engine hooks.
    public let context: ExecutionContext

    /// Arguments already bound (the interpreter binds; hosts use this for tests).
    public init(signature: Signature, bound: [Value], rest: [Value] = [], spans: [String: SourceSpan] = [:], callSpan: SourceSpan,
                context: ExecutionContext) {
        self.signature = signature
        self.bound = bound
        self.rest = rest
        self.spans = spans
        self.callSpan = callSpan
        self.context = context
    }

    /// The function's name, for messages.
    public var functionName: String { signature.name }
    /// Where the call can send output (progress, tables).
    public var sink: any DisplaySink { context.sink }

    /// The value of a parameter, `none` included; nil for a name that is not a parameter.
    public func value(_ name: String) -> Value? {
        signature.index(of: name).map { bound[$0] }
    }

    /// The value of a parameter (nil for an absent optional with default none).
    public subscript(_ name: String) -> Value? {
        if case .none? = value(name) { return nil }
        return value(name)
    }

    /// Where an argument was written: a parameter name, or "#N" for the Nth variadic one.
    public func span(for name: String) -> SourceSpan? { spans[name] }
}
