/// A dataset that cannot be used: a missing or corrupt file, a bad argument. The message names
/// the path and what was expected; the hint says how to get the data.
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected and what was found.
    public var message: String
    /// How to fix it or get the data.
    public var hint: String?

    /// Creates an error.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    /// The message, then the hint on its own line.
    public var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}
