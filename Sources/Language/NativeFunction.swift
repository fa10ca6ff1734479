import Diagnostics
import Display

/// A builtin function, layer builder, preset or dataset constructor: its signature, a one-line
/// doc and its implementation. `help`, completion and "did you mean" all read these.
public struct NativeFunction: Sendable {
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

        /// A required parameter.
        public init(_ name: String, namedOnly: Bool = false) {
            self.name = name
            defaultValue = nil
            self.namedOnly = namedOnly
        }

        /// An optional parameter. (Not `Value?`: then `default: .none` would mean "no default"
        /// rather than the language's `none`.)
        public init(_ name: String, default defaultValue: Value, namedOnly: Bool = false) {
            self.name = name
            self.defaultValue = defaultValue
            self.namedOnly = namedOnly
        }
    }

    public let name: String
    public let kind: Kind
    public let parameters: [Parameter]
    /// Extra positional arguments collected under this name (e.g. `mlp(10, 64, 1)` takes `sizes…`).
    public let variadic: String?
    public let documentation: String
    public let implementation: @Sendable (Arguments) throws -> Value

    /// A builtin.
    public init(_ name: String, kind: Kind = .function, parameters: [Parameter] = [], variadic: String? = nil,
                documentation: String, implementation: @escaping @Sendable (Arguments) throws -> Value) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.variadic = variadic
        self.documentation = documentation
        self.implementation = implementation
    }

    /// `conv2d(in, out, kernel, stride: 1, padding: 0)`
    public var signature: String {
        var parts = parameters.map { parameter in
            parameter.defaultValue.map { "\(parameter.name): \($0.quotedDescription)" } ?? parameter.name
        }
        if let variadic { parts.append("\(variadic)…") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// The arguments of one call, bound to parameter names, with their source locations.
public struct Arguments: Sendable {
    /// Values by parameter name (defaults filled in).
    public let values: [String: Value]
    /// Extra positional values for a variadic function.
    public let rest: [Value]
    /// Where each argument was written (by parameter name; variadic ones as "#0", "#1", …).
    public let spans: [String: SourceSpan]
    /// The whole call.
    public let callSpan: SourceSpan
    /// The function's name, for messages.
    public let functionName: String
    /// Where the call can send output (progress, tables).
    public let sink: any DisplaySink

    public init(values: [String: Value], rest: [Value], spans: [String: SourceSpan], callSpan: SourceSpan,
                functionName: String, sink: any DisplaySink) {
        self.values = values
        self.rest = rest
        self.spans = spans
        self.callSpan = callSpan
        self.functionName = functionName
        self.sink = sink
    }

    /// The value of a parameter (nil for an absent optional with default none).
    public subscript(_ name: String) -> Value? {
        if case .none? = values[name] { return nil }
        return values[name]
    }
}
