import Diagnostics
import Foundation

/// What Tab offers for the word at the cursor.
public struct Completion: Equatable, Sendable {
    /// Words that complete the current one (the whole word, not just the rest).
    public var candidates: [String]
    /// Whether a unique completion is followed by a space (not for members or directories).
    public var appendsSpace: Bool
    /// How many characters (Unicode scalars) before the cursor a candidate replaces: the partial
    /// word, member or path component typed so far.
    public var replacedLength: Int

    /// A completion result.
    public init(candidates: [String], appendsSpace: Bool, replacedLength: Int = 0) {
        self.candidates = candidates
        self.appendsSpace = appendsSpace
        self.replacedLength = replacedLength
    }
}

/// Tab completion: keywords, builtins and variables; members after `.`; clause keywords after
/// `train m on d `; optimizer and loss names; file paths inside a string; `:` commands.
public final class Completer {
    private let interpreter: Interpreter
    /// Words a front end offers at the start of a line besides the language's (the REPL's `:` commands).
    private let lineStarters: [String]

    /// A completer reading names from `interpreter`; `lineStarters` are offered at the start of a line.
    public init(interpreter: Interpreter, lineStarters: [String] = []) {
        self.interpreter = interpreter
        self.lineStarters = lineStarters
    }

    /// Completions for the line up to the cursor.
    public func complete(_ line: String) -> Completion {
        if Self.isInsideString(line) { return pathCompletion(line) }
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }.reversed())
        let before = String(line.dropLast(word.count))
        if before.hasSuffix(".") { return memberCompletion(base: String(before.dropLast()), prefix: word) }
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        return Completion(candidates: vocabulary(after: words, startsLine: before.trimmingCharacters(in: .whitespaces).isEmpty)
            .filter { $0.hasPrefix(word) }.sorted(), appendsSpace: true, replacedLength: word.unicodeScalars.count)
    }

    /// The words that may come next, given the words already typed on the line.
    private func vocabulary(after words: [String], startsLine: Bool) -> [String] {
        let registry = interpreter.registry
        let last = words.last ?? ""
        if let command = words.lazy.compactMap({ registry.commands[$0] }).first {
            if let clause = command.grammar.clause(named: last), case .symbol(let choices) = clause.kind { return choices }
            if last == command.keyword, case .topic? = command.grammar.parts.first {
                return command.topics.isEmpty ? registry.names + Array(registry.commands.keys) : command.topics
            }
            if last == "on", words.count >= 3, command.grammar.parts.contains(where: { if case .word("on") = $0 { true } else { false } }) {
                return dataNames()
            }
            if !command.grammar.clauses.isEmpty, let on = words.firstIndex(of: "on"), on < words.count - 1 {
                return command.grammar.clauses.map(\.name)
            }
        }
        var names = Set(registry.names).union(interpreter.variables.keys).union(["true", "false", "none"])
        if startsLine {
            names.formUnion(registry.commands.keys)
            names.formUnion(Parser.reservedWords.subtracting(["in", "and", "or"]))
            names.insert("no_grad")
            names.formUnion(lineStarters)
        } else {
            names.formUnion(["in", "and", "or", "not"])
        }
        return Array(names)
    }

    /// What may follow `train m on `: built-in datasets, dataset functions, and variables that
    /// hold a dataset or an (x, y) tuple.
    private func dataNames() -> [String] {
        let registry = interpreter.registry
        let builtIn = Array(registry.values.keys) + registry.functions.values.filter { $0.signature.kind == .dataset }.map(\.name)
        let variables = interpreter.variables.filter { _, value in
            switch value {
            case .tuple: true
            case .object(let object): object.typeName == "dataset"
            default: false
            }
        }.map(\.key)
        return builtIn + variables
    }

    private func memberCompletion(base: String, prefix: String) -> Completion {
        let expression = String(base.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        guard !expression.isEmpty, let value = try? evaluate(expression), case .object(let object) = value else {
            return Completion(candidates: [], appendsSpace: false, replacedLength: prefix.unicodeScalars.count)
        }
        return Completion(candidates: object.memberNames.filter { $0.hasPrefix(prefix) }.sorted(), appendsSpace: false,
                          replacedLength: prefix.unicodeScalars.count)
    }

    /// Evaluates a plain name or member chain (`mnist`, `mnist.train`): nothing with side effects.
    private func evaluate(_ chain: String) throws -> Value {
        let parser = Parser(SourceFile(name: "<completion>", text: chain))
        guard parser.diagnostics.isEmpty, parser.statements.count == 1, case .expression(let expression) = parser.statements[0].kind,
              Self.isNameChain(expression) else { throw CompletionError() }
        return try interpreter.evaluate(expression)
    }

    private static func isNameChain(_ expression: Language.Expression) -> Bool {
        switch expression.kind {
        case .identifier: true
        case .member(let base, _, _): isNameChain(base)
        default: false
        }
    }

    private struct CompletionError: Error {}

    /// Whether the cursor is inside a string literal (an odd number of unescaped quotes before it).
    static func isInsideString(_ line: String) -> Bool {
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if let open = quote { if character == open { quote = nil } } else if character == "\"" || character == "'" { quote = character }
        }
        return quote != nil
    }

    /// Entries of the directory named so far inside the string; directories end with "/".
    private func pathCompletion(_ line: String) -> Completion {
        let partial = String(line.reversed().prefix { $0 != "\"" && $0 != "'" }.reversed())
        let directory = (partial as NSString).deletingLastPathComponent
        let prefix = partial.hasSuffix("/") ? "" : (partial as NSString).lastPathComponent
        let expanded = directory.isEmpty ? "." : (directory as NSString).expandingTildeInPath
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: expanded)) ?? []
        let candidates = entries.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name -> String in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (expanded as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
            return isDirectory.boolValue ? name + "/" : name
        }
        return Completion(candidates: candidates, appendsSpace: false, replacedLength: prefix.unicodeScalars.count)
    }
}
