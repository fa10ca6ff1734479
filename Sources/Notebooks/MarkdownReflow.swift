/// Joins the soft-wrapped lines of each Markdown paragraph into one line before Ink renders it.
/// Ink starts a new paragraph at a line that begins with inline code, and cannot close a code
/// span that wraps onto the next line (its underscores then turn into emphasis); a paragraph on
/// one line means to Ink what the source means in CommonMark. Lines that start a block (heading,
/// list item, quote, fence, table row, indented code) and hard breaks are kept as they are.
enum MarkdownReflow {
    static func joiningSoftBreaks(_ prose: String) -> String {
        var lines: [String] = []
        var inFence = false, previousJoinable = false
        for line in prose.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                lines.append(line)
                previousJoinable = false
                continue
            }
            if !inFence, previousJoinable, !startsBlock(line), let last = lines.popLast() {
                lines.append(last + " " + trimmed)
            } else {
                lines.append(line)
            }
            previousJoinable = !inFence && !line.allSatisfy(\.isWhitespace) && !startsLeaf(line) && !endsWithHardBreak(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A blank line or one that opens a block of its own: it never continues the paragraph above.
    private static func startsBlock(_ line: String) -> Bool {
        if line.allSatisfy(\.isWhitespace) || line.hasPrefix("    ") || line.hasPrefix("\t") { return true }
        let trimmed = line.drop { $0 == " " }
        if startsLeaf(line) || trimmed.hasPrefix(">") { return true }
        if ["- ", "* ", "+ "].contains(where: { trimmed.hasPrefix($0) }) { return true }
        let digits = trimmed.prefix { $0.isNumber }
        return !digits.isEmpty && digits.count <= 9 && (trimmed.dropFirst(digits.count).hasPrefix(". ") || trimmed.dropFirst(digits.count).hasPrefix(") "))
    }

    /// A line that is a whole block by itself (heading, table row, rule): nothing joins onto it.
    private static func startsLeaf(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " }
        return trimmed.hasPrefix("#") || trimmed.hasPrefix("|") || trimmed.allSatisfy { $0 == "-" || $0 == "=" || $0 == " " }
    }

    private static func endsWithHardBreak(_ line: String) -> Bool { line.hasSuffix("  ") || line.hasSuffix("\\") }
}
