import Display
import Foundation
import Language

extension ReplSession {
    /// `:help`, `:vars`, `:reset`, `:time on|off`, `:save FILE.nb`, `:load FILE.nb`, `:quit`.
    func runColonCommand(_ line: String) {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch words[0] {
        case ":help":
            if argument.isEmpty { sink.write(Self.helpText) } else { execute("help \(argument)") }
        case ":vars": sink.emit(.table(variablesTable()))
        case ":reset":
            session.interpreter.reset()
            sink.write("all variables forgotten\n")
        case ":time":
            guard ["on", "off"].contains(argument) else { return complain("usage: :time on  or  :time off") }
            setTiming(argument == "on")
            sink.write("timing \(argument)\n")
        case ":save":
            guard argument.hasSuffix(".nb"), let saveNotebook else { return complain("usage: :save FILE.nb") }
            do { sink.write(try saveNotebook(argument, entries) + "\n") } catch { complain("could not save '\(argument)': \(error)") }
        case ":load":
            guard !argument.isEmpty, let loadNotebook else { return complain("usage: :load FILE.nb") }
            _ = loadNotebook(argument)
        case ":memory":
            let quotedSize = argument.replacingOccurrences(of: "\"", with: "")
            execute(argument.isEmpty ? "print memory()" : "print memory(limit: \"\(quotedSize)\")")
        case ":quit", ":q", ":exit": requestQuit()
        default:
            let suggestion = Suggestions.closestCommand(words[0])
            complain("unknown command \(words[0])" + (suggestion.map { " — did you mean \($0)?" } ?? "; :help lists them"))
        }
    }

    func setTiming(_ on: Bool) {
        session.setShowsTimings(on)
        sink.setTiming(on)
        reportsTime = on
    }

    func requestQuit() { quitRequested = true }

    private func complain(_ message: String) {
        errors.write(renderer.render(.init(message, at: nil)))
    }

    /// One row per variable: name, kind, summary.
    public func variablesTable() -> Table {
        let rows = session.interpreter.variables.keys.sorted().map { name -> [String] in
            let value = session.interpreter.variables[name]!
            let summary: String
            if case .object(let object) = value { summary = object.summary } else { summary = value.quotedDescription }
            return [name, value.typeName, Self.oneLine(summary, limit: 70)]
        }
        return Table(headers: ["name", "kind", "value"], rows: rows.isEmpty ? [["(none yet)", "", ""]] : rows, alignments: [.left, .left, .left])
    }

    /// A value's summary on one table line: a multi-line tensor's rows joined, cut at `limit` with "…".
    static func oneLine(_ text: String, limit: Int) -> String {
        let joined = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return joined.count <= limit ? joined : String(joined.prefix(limit - 1)) + "…"
    }

    static let helpText = """
        Statements: model = cnn()   train model on mnist epochs 2   evaluate model on mnist   show model
        Type help for every function, layer, dataset and command; help NAME for one.
        Prompt commands:
          :help [NAME]     this text, or help for NAME
          :vars            the variables defined so far
          :reset           forget every variable
          :time on|off     show wall time after each statement (and timings in training output)
          :memory [SIZE]   memory held by tensors and the limit; :memory 8G sets the limit
          :save FILE.nb    write the statements that succeeded, with their outputs, as a notebook
          :load FILE.nb    run a notebook into this session
          :quit            leave (so do Ctrl-D, and Ctrl-C twice at an empty prompt)
        Keys: Tab completes, Up/Down browse history, Ctrl-C stops training at the next batch.

        """
}

import Diagnostics

extension Suggestions {
    /// The closest `:` command to a mistyped one.
    static func closestCommand(_ word: String) -> String? {
        closest(to: word, in: ReplSession.colonCommands)
    }
}
