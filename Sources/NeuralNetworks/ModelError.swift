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
