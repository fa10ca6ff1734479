/// A problem with a tensor operation: what went wrong (naming the values) and a likely fix.
public struct TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected and what was found, e.g. "matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)".
    public var message: String
    /// A likely fix, when one is known.
    public var hint: String?
    /// For a value changed in place after an operation saved it: where that change was made,
    /// when the code that made it said (`Tensor.noteInPlaceChange(at:)`).
    public var changeSite: (any ChangeSite)?

    /// Creates an error with a message and an optional hint.
    public init(_ message: String, hint: String? = nil, changeSite: (any ChangeSite)? = nil) {
        self.message = message
        self.hint = hint
        self.changeSite = changeSite
    }

    /// The message, then the hint on its own line.
    public var description: String {
        hint.map { "\(message)\nhint: \($0)" } ?? message
    }

    /// Same message and hint (the change site is a pointer into the caller's world).
    public static func == (a: TensorError, b: TensorError) -> Bool {
        a.message == b.message && a.hint == b.hint
    }
}
