import Diagnostics

/// Whether a front end should run the text it has or read another line: the REPL's `...`
/// prompt and the Jupyter kernel's `is_complete` both ask this.
public enum InputCompleteness: Equatable, Sendable {
    /// Run it.
    case complete
    /// Read another line, which would start with `indent`.
    case incomplete(indent: String)
    /// Run it to report its syntax errors (more lines would not help).
    case invalid

    /// Classifies `text`. Inside an open bracket or string, or after a block's `:`, more is
    /// needed. At an interactive prompt (`interactive`) a block also continues until a blank
    /// line, as at Python's prompt, so that `else:` and later lines of the block can follow.
    static func of(_ text: String, registry: Registry, interactive: Bool) -> InputCompleteness {
        let parser = Parser(SourceFile(name: "<input>", text: text), registry: registry)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lastLine = lines.last.map(String.init) ?? ""
        let lastCode = lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
        let indent = String(lastCode.prefix { $0 == " " })
        if parser.isIncomplete {
            let opensBlock = lastCode.split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).hasSuffix(":") } ?? false
            return .incomplete(indent: opensBlock ? indent + "    " : indent)
        }
        if !parser.diagnostics.isEmpty { return .invalid }
        let hasBlock = Lexer(SourceFile(name: "<input>", text: text)).tokens.contains { $0.kind == .indent }
        if interactive && hasBlock && !lastLine.trimmingCharacters(in: .whitespaces).isEmpty { return .incomplete(indent: indent) }
        return .complete
    }
}

extension Interpreter {
    /// Whether `text` is ready to run (see `InputCompleteness`).
    public func completeness(of text: String, interactive: Bool) -> InputCompleteness {
        InputCompleteness.of(text, registry: registry, interactive: interactive)
    }
}
