import Foundation

/// The text of `help` and `help KIND`, laid out for the terminal: never wider than `width`
/// columns (the terminal's `COLUMNS` when it is narrower than 100, otherwise 100; 80 when piped
/// output sets nothing), words wrapped with a hanging indent.
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

    /// The width help lays itself out for: `COLUMNS` if set (capped at 100 for readability), else 80.
    static var terminalWidth: Int {
        guard let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 else { return 80 }
        return min(columns, 100)
    }

    /// The kinds in listing order: commands, functions, layers, presets, datasets.
    var kinds: [String] { entries.map(\.kind).reduce(into: []) { kinds, kind in if !kinds.contains(kind) { kinds.append(kind) } } }

    /// `help commands`, `help command`, `help layer` …: the kind meant, if any.
    func kind(named name: String) -> String? { kinds.first { $0 == name || $0 == name + "s" } }

    /// `help`: each kind with its names, then how to see more.
    func overview() -> String {
        var lines: [String] = []
        let labelWidth = (kinds.map(\.count).max() ?? 0) + 2
        for kind in kinds {
            let names = entries.filter { $0.kind == kind }.map(\.name).joined(separator: "  ")
            lines += Self.wrap(names, width: width, first: kind.padding(toLength: labelWidth, withPad: " ", startingAt: 0),
                               rest: String(repeating: " ", count: labelWidth))
        }
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

    /// Words of `text` in lines of at most `width` characters (a longer word stands alone).
    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
