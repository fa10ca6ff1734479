import Diagnostics
import Display
import Foundation
import Language

extension Kernel {
    /// Runs a cell: `execute_input`, its outputs, then `error` or the last result, and the reply.
    /// `name?` (IPython's pager syntax) answers with the `help` text as a page payload instead.
    func execute(_ request: Message) -> JSONValue {
        let code = request.content["code"]?.string ?? ""
        let silent = request.content["silent"]?.bool ?? false
        let storesHistory = !silent && (request.content["store_history"]?.bool ?? true)
        if storesHistory { executionCount += 1 }
        if !silent { channels.publish("execute_input", ["code": .string(code), "execution_count": .int(executionCount)], parent: request) }
        if let topic = Self.pagerTopic(code) {
            let text = helpText(topic) ?? "no help for '\(topic)'"
            return ["status": "ok", "execution_count": .int(executionCount), "user_expressions": [:],
                    "payload": [["source": "page", "data": ["text/plain": .string(text)], "start": 0]]]
        }
        let sink = KernelSink(channels: channels, pictures: host.pictures, parent: request, silent: silent)
        let diagnostics = session.run(SourceFile(name: "cell \(executionCount)", text: code), sink: sink)
        for warning in diagnostics where warning.severity != .error {
            sink.warn(DiagnosticRenderer(color: false).render(warning))
        }
        sink.finish(executionCount: executionCount)
        let errors = diagnostics.filter { $0.severity == .error }
        let traceback = errors.flatMap { DiagnosticRenderer(color: true).render($0).trimmingCharacters(in: .newlines).split(separator: "\n").map(String.init) }
        if storesHistory {
            let errorText = errors.map { DiagnosticRenderer(color: false).render($0).trimmingCharacters(in: .newlines) }
            history.record(line: executionCount, input: code, output: (sink.plainOutput + errorText).joined(separator: "\n"))
        }
        let error: JSONValue
        if let first = errors.first {
            error = ["ename": .string(Self.errorName(first)), "evalue": .string(first.message), "traceback": .array(traceback.map(JSONValue.string))]
        } else if session.wasInterrupted {
            // A training stopped by the stop button ends cleanly (it keeps every step), yet the cell
            // was interrupted: an error reply, as ipykernel's KeyboardInterrupt, so Run All stops.
            let message = "the cell was interrupted; what it finished is kept"
            error = ["ename": "KeyboardInterrupt", "evalue": .string(message), "traceback": [.string("KeyboardInterrupt: \(message)")]]
        } else {
            return ["status": "ok", "execution_count": .int(executionCount), "payload": [], "user_expressions": [:]]
        }
        if !silent { channels.publish("error", error, parent: request) }
        var reply = error.object ?? [:]
        reply["status"] = "error"
        reply["execution_count"] = .int(executionCount)
        return .object(reply)
    }

    /// After a failed cell with `stop_on_error`, cells already queued behind it are not run: each
    /// gets an `aborted` reply, what "Run All" expects when one cell fails. As in ipykernel (whose
    /// `stop_on_error_timeout` is 0), a request that arrives after the failure's reply runs.
    /// The queue is read to its end before any reply goes out: a request the front end sends after
    /// seeing one of these replies arrived after the failure, and runs (under load, replying while
    /// still draining aborted it too).
    func abortQueuedExecutions() {
        var queue: [Message] = []
        while let queued = channels.read(from: channels.shell, wait: false) { queue.append(queued) }
        for queued in queue {
            guard queued.type == "execute_request" else { handleShell(queued); continue }
            channels.publish("status", ["execution_state": "busy"], parent: queued)
            channels.reply(reply(to: queued, ["status": "aborted", "execution_count": .int(executionCount)]), on: channels.shell)
            channels.publish("status", ["execution_state": "idle"], parent: queued)
        }
    }

    /// The Jupyter `ename` for a diagnostic: what kind of failure, as an exception-style name.
    static func errorName(_ diagnostic: Diagnostic) -> String {
        switch diagnostic.kind {
        case .syntax, .incompleteInput: "SyntaxError"
        case .runtime: "Error"
        case .interrupted: "KeyboardInterrupt"
        case .internalError: "InternalError"
        }
    }

    /// `relu?`, `?relu` or `model??`: the name whose help to page; nil for any other code.
    static func pagerTopic(_ code: String) -> String? {
        let text = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("?") || text.hasSuffix("?") else { return nil }
        let name = text.trimmingCharacters(in: CharacterSet(charactersIn: "?"))
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return name
    }

    /// What `help NAME` shows, as text; nil when the name is unknown.
    func helpText(_ name: String) -> String? {
        let collector = CollectingSink()
        let diagnostics = session.run(SourceFile(name: "<inspect>", text: "help \(name)"), sink: collector)
        guard !diagnostics.contains(where: { $0.severity == .error }), !collector.values.isEmpty else { return nil }
        return collector.plainText()
    }

    /// `complete_request`: the REPL's completions for the line up to the cursor, and the span
    /// (in Unicode code points, as protocol 5.2 counts) they replace.
    func complete(_ content: JSONValue) -> JSONValue {
        let code = Array((content["code"]?.string ?? "").unicodeScalars)
        let cursor = min(max(content["cursor_pos"]?.int ?? code.count, 0), code.count)
        let before = code[..<cursor]
        let lineStart = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
        var line = String.UnicodeScalarView()
        line.append(contentsOf: before[lineStart...])
        let completion = completer.complete(String(line))
        return ["status": "ok", "matches": .array(completion.candidates.map(JSONValue.string)),
                "cursor_start": .int(cursor - completion.replacedLength), "cursor_end": .int(cursor), "metadata": [:]]
    }

    /// `inspect_request`: the `help` text of the name under (or just before) the cursor.
    func inspect(_ content: JSONValue) -> JSONValue {
        let code = Array((content["code"]?.string ?? "").unicodeScalars)
        let cursor = min(max(content["cursor_pos"]?.int ?? code.count, 0), code.count)
        var start = cursor, end = cursor
        while start > 0 && Self.isNamePart(code[start - 1]) { start -= 1 }
        while end < code.count && Self.isNamePart(code[end]) { end += 1 }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: code[start..<end])
        // Shift-Tab inside a call's arguments (`x = relu(`, `adam(m, lr: `) shows the function's help.
        guard let text = (name.isEmpty ? nil : helpText(String(name))) ?? Self.enclosingCallee(in: code, before: cursor).flatMap(helpText) else {
            return ["status": "ok", "found": false, "data": [:], "metadata": [:]]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": .string(text)], "metadata": [:]]
    }

    /// Whether a character can be part of a name (letters, digits, `_`).
    static func isNamePart(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" }

    /// The name before the innermost `(` still open at `cursor` (`relu` in `x = relu(a, `); nil
    /// outside a call. Strings are not skipped: a parenthesis inside one may mislead it, which
    /// costs only a help text shown or not.
    static func enclosingCallee(in code: [Unicode.Scalar], before cursor: Int) -> String? {
        var depth = 0, index = cursor
        while index > 0 {
            index -= 1
            switch code[index] {
            case ")": depth += 1
            case "(" where depth > 0: depth -= 1
            case "(":
                var start = index
                while start > 0, isNamePart(code[start - 1]) { start -= 1 }
                guard start < index else { return nil }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: code[start..<index])
                return String(name)
            case "\n" where depth == 0: return nil
            default: continue
            }
        }
        return nil
    }

    /// `is_complete_request`: from the parser, as at the REPL's `...` prompt.
    func isComplete(_ content: JSONValue) -> JSONValue {
        switch session.completeness(of: content["code"]?.string ?? "", interactive: true) {
        case .complete: ["status": "complete"]
        case .incomplete(let indent): ["status": "incomplete", "indent": .string(indent)]
        case .invalid: ["status": "invalid"]
        }
    }
}
