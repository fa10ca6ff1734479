import Display
import Foundation

/// The text of `help` and `help KIND`, laid out for the terminal: never wider than `width`
/// columns (the terminal's width, capped at 100; `COLUMNS`, else 80, when piped), words wrapped
/// with a hanging indent.
struct HelpListing {
    /// One thing `help NAME` can show.
    struct Entry {
        let kind: String
        let name: String
        let usage: String
        let documentation: String
    }

    let entries: [Entry]
    let width: Int

    init(entries: [Entry], width: Int = HelpListing.terminalWidth) {
        self.entries = entries
        self.width = max(40, width)
    }

    /// The width help lays itself out for (see `TextWrap.terminalWidth`).
    static var terminalWidth: Int { TextWrap.terminalWidth }

    /// The kinds in listing order: commands, functions, layers, presets, datasets.
    var kinds: [String] { entries.map(\.kind).reduce(into: []) { kinds, kind in if !kinds.contains(kind) { kinds.append(kind) } } }

    /// `help commands`, `help command`, `help layer` …: the kind meant, if any.
    func kind(named name: String) -> String? { kinds.first { $0 == name || $0 == name + "s" } }

    /// `help`: each kind with its names, then how to see more.
    func overview() -> String {
        var lines = TextWrap.definitionList(kinds.map { kind in (kind, entries.filter { $0.kind == kind }.map(\.name).joined(separator: "  ")) },
                                            width: width)
        lines.append("")
        lines += Self.wrap("help KIND lists one kind with what each does (help commands); help NAME shows one entry; "
                           + "explain TOPIC explains an algorithm.", width: width, first: "", rest: "")
        return lines.joined(separator: "\n")
    }

    /// `help KIND`: each entry's usage, and what it does indented under it.
    func details(of kind: String) -> String {
        entries.filter { $0.kind == kind }.flatMap { entry in
            Self.wrap(entry.usage, width: width, first: "", rest: "    ")
                + Self.wrap(entry.documentation, width: width, first: "    ", rest: "    ")
        }.joined(separator: "\n")
    }

    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        TextWrap.lines(text, width: width, first: first, rest: rest)
    }
}
