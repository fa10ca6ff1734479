/// What reading one line produced.
public enum LineReadResult: Equatable, Sendable {
    /// A line (without its newline).
    case line(String)
    /// Ctrl-C at the prompt: the line being typed is dropped.
    case interrupted
    /// End of input (Ctrl-D, or the end of a pipe).
    case endOfInput
}

/// Where the REPL gets its input: libedit on a terminal, plain standard input from a pipe, or
/// a script in tests.
public protocol LineReader: AnyObject {
    /// Whether prompts and a banner should be shown (true only for an interactive terminal).
    var isInteractive: Bool { get }
    /// Reads one line after showing `prompt` (interactive readers only).
    func readLine(prompt: String) -> LineReadResult
    /// Remembers a complete entry in the history (interactive readers only).
    func addToHistory(_ entry: String)
    /// Writes the history to its file (interactive readers only).
    func saveHistory()
}

extension LineReader {
    public func addToHistory(_ entry: String) {}
    public func saveHistory() {}
}

/// Lines from standard input without prompts or editing (a pipe or a file).
public final class PlainLineReader: LineReader {
    public init() {}
    public var isInteractive: Bool { false }

    public func readLine(prompt: String) -> LineReadResult {
        Swift.readLine(strippingNewline: true).map(LineReadResult.line) ?? .endOfInput
    }
}

/// Lines from a list, for tests.
public final class ScriptedLineReader: LineReader {
    private var lines: [LineReadResult]
    /// The prompts the REPL showed, in order.
    public private(set) var prompts: [String] = []
    public let isInteractive: Bool

    /// A reader that yields `lines` and then end of input.
    public init(_ lines: [LineReadResult], isInteractive: Bool = false) {
        self.lines = lines
        self.isInteractive = isInteractive
    }

    public func readLine(prompt: String) -> LineReadResult {
        prompts.append(prompt)
        return lines.isEmpty ? .endOfInput : lines.removeFirst()
    }
}
