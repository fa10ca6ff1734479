/// How serious a diagnostic is.
public enum Severity: String, Sendable {
    case error
    case warning
    case note
}

/// What kind of problem: decides the exit code and whether the REPL asks for more input.
public enum DiagnosticKind: Sendable, Equatable {
    /// Bad syntax.
    case syntax
    /// Input that ended inside a bracket or string: the REPL reads a continuation line.
    case incompleteInput
    /// A statement that failed while running (wrong type, shape, missing file, NaN loss…).
    case runtime
    /// A bug in tensorbook itself.
    case internalError
    /// The run was stopped on request (Ctrl-C, a notebook cell's timeout); nothing is wrong with the input.
    case interrupted
}

/// An error, warning or note about the source: message, where, and a likely fix.
/// Errors are values; one renderer (`DiagnosticRenderer`) turns them into text.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// Secondary information attached to a diagnostic, optionally with its own location.
    public struct Note: Sendable {
        public var message: String
        public var span: SourceSpan?

        /// A note, pointing somewhere or not.
        public init(_ message: String, span: SourceSpan? = nil) {
            self.message = message
            self.span = span
        }
    }

    public var severity: Severity
    public var kind: DiagnosticKind
    /// What was expected and what was found.
    public var message: String
    /// Where; nil when the problem is not in the source (e.g. a missing file given on the command line).
    public var span: SourceSpan?
    /// A likely fix.
    public var hint: String?
    /// More context, e.g. "the bracket was opened here".
    public var notes: [Note]

    /// Creates a diagnostic.
    public init(
        _ message: String, at span: SourceSpan?, kind: DiagnosticKind = .runtime, severity: Severity = .error,
        hint: String? = nil, notes: [Note] = []
    ) {
        self.message = message
        self.span = span
        self.kind = kind
        self.severity = severity
        self.hint = hint
        self.notes = notes
    }

    /// Plain rendering without colour.
    public var description: String { DiagnosticRenderer(color: false).render(self) }
}
