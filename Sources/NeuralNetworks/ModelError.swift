import TensorEngine

/// A problem with a model: a layer that does not fit its input, bad layer arguments, a file that
/// is not a model. `layerIndex` (0-based, into the top-level sequential) lets the language point
/// at the offending layer in the source.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected and what was found, naming both numbers.
    public var message: String
    /// A likely fix.
    public var hint: String?
    /// Which top-level layer the problem is in, when it is in one.
    public var layerIndex: Int?
    /// The error from user code behind this one (a class's forward that failed while its output
    /// shape was worked out), so the language can report it where it happened.
    public var cause: Cause?

    /// An error from outside the engine, carried along; all causes compare equal.
    public struct Cause: Equatable, Sendable {
        public let error: any Error & Sendable
        /// A cause.
        public init(_ error: any Error & Sendable) { self.error = error }
        public static func == (lhs: Cause, rhs: Cause) -> Bool { true }
    }

    /// Creates an error.
    public init(_ message: String, hint: String? = nil, layerIndex: Int? = nil) {
        self.message = message
        self.hint = hint
        self.layerIndex = layerIndex
    }

    /// An engine error raised while running a layer.
    public init(_ error: TensorError, layerIndex: Int? = nil) {
        self.init(error.message, hint: error.hint, layerIndex: layerIndex)
    }

    /// The message, then the hint on its own line.
    public var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}
