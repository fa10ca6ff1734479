/// A problem that stops the kernel from starting (a bad connection file, a port in use), with a hint.
public struct KernelError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// An error with an optional hint.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "error: \(message)" + (hint.map { "\n  hint: \($0)" } ?? "") }
}
