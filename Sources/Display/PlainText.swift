extension DisplayValue {
    /// The value as plain text (no colour, no cursor movement), as notebooks record it and as a
    /// pipe receives it. Live progress updates render as nothing; epoch summaries as one line.
    public func plainText(showsTimings: Bool = false) -> String {
        switch self {
        case .text(let text): text
        case .table(let table): TableLayout.render(table, boxed: false)
        case .images(let strip): ImageArt.render(strip, halfBlocks: false)
        case .plot(let plot): BrailleCanvas.render(plot, color: false)
        case .progress(let progress): progress.isEpochSummary ? progress.summaryLine(withTiming: showsTimings) : ""
        case .clearOutput: ""
        case .stream(let piece, _): piece
        case .timed(let text, let untimed): showsTimings ? text : untimed
        }
    }
}

/// Lays out tables in aligned columns, plain or with box-drawing lines.
public enum TableLayout {
    /// The table as lines of text.
    public static func render(_ table: Table, boxed: Bool) -> String {
        let allRows = [table.headers] + table.rows + (table.footer.map { [$0] } ?? [])
        let columns = table.headers.count
        let widths = (0..<columns).map { column in allRows.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = (0..<columns).map { column -> String in
                let cell = cells.indices.contains(column) ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return table.alignments[column] == .right ? padding + cell : cell + padding
            }
            return boxed ? "│ " + padded.joined(separator: " │ ") + " │" : padded.joined(separator: "  ").trimmingTrailingSpaces()
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            boxed ? left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
                : widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        }
        var lines: [String] = []
        if let title = table.title { lines.append(title) }
        if boxed { lines.append(rule("┌", "┬", "┐")) }
        lines.append(line(table.headers))
        lines.append(boxed ? rule("├", "┼", "┤") : rule("", "", ""))
        lines += table.rows.map(line)
        if let footer = table.footer {
            lines.append(boxed ? rule("├", "┼", "┤") : rule("", "", ""))
            lines.append(line(footer))
        }
        if boxed { lines.append(rule("└", "┴", "┘")) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
