import CLibEdit
import Foundation
import Language
import Synchronization

/// Interactive input through libedit: emacs keys, arrows, persistent history, Tab completion.
public final class LibEditLineReader: LineReader {
    private let historyPath: String
    /// Set by the SIGINT handler; tells a Ctrl-C at the prompt apart from Ctrl-D (both end `readline`).
    public static let promptInterrupted = Atomic<Bool>(false)

    /// A reader keeping history in `historyPath`, completing with `completer`.
    public init(historyPath: String, completer: Completer) {
        self.historyPath = historyPath
        tb_set_readline_name("tensorbook")
        tb_set_catch_signals(0)
        using_history()
        stifle_history(2000)
        _ = read_history(historyPath)
        CompletionBridge.install(completer)
    }

    public var isInteractive: Bool { true }

    public func readLine(prompt: String) -> LineReadResult {
        Self.promptInterrupted.store(false, ordering: .relaxed)
        guard let pointer = readline(prompt) else {
            return Self.promptInterrupted.load(ordering: .relaxed) ? .interrupted : .endOfInput
        }
        defer { free(pointer) }
        if Self.promptInterrupted.load(ordering: .relaxed) { return .interrupted }
        return .line(String(cString: pointer))
    }

    public func addToHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
    }

    public func saveHistory() {
        _ = write_history(historyPath)
    }

    /// `$TENSORBOOK_HISTORY`, or `~/.tensorbook_history`.
    public static var defaultHistoryPath: String {
        historyPath(environment: ProcessInfo.processInfo.environment)
    }

    /// `$TENSORBOOK_HISTORY`, else `.tensorbook_history` in `$HOME` (the password file's home
    /// only when HOME is unset: a user who points HOME elsewhere gets their history there).
    public static func historyPath(environment: [String: String]) -> String {
        if let path = environment["TENSORBOOK_HISTORY"], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".tensorbook_history")
    }
}

/// The C callbacks libedit calls for Tab. They cannot capture context, so the completer and the
/// current candidates live here; libedit runs them on the REPL thread only.
enum CompletionBridge {
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextCandidate = 0
    /// Characters that end the word being completed: '.' for members, '/' for path components.
    nonisolated(unsafe) static let wordBreaks = strdup(" \t\n\"'()[],=:+-*/@<>.")

    static func install(_ completer: Completer) {
        self.completer = completer
        tb_set_completion({ text, _, end in
            let line = String(cString: tb_line_buffer())
            let prefixEnd = line.utf8.index(line.utf8.startIndex, offsetBy: Int(end), limitedBy: line.utf8.endIndex) ?? line.utf8.endIndex
            let completion = CompletionBridge.completer?.complete(String(line[..<prefixEnd])) ?? Completion(candidates: [], appendsSpace: true)
            CompletionBridge.candidates = completion.candidates
            tb_set_completion_append(completion.appendsSpace ? 32 : 0)
            tb_set_completion_over(1)
            return rl_completion_matches(text, { _, state in
                if state == 0 { CompletionBridge.nextCandidate = 0 }
                guard CompletionBridge.nextCandidate < CompletionBridge.candidates.count else { return nil }
                defer { CompletionBridge.nextCandidate += 1 }
                return strdup(CompletionBridge.candidates[CompletionBridge.nextCandidate])
            })
        }, wordBreaks)
    }
}
