extension NotebookDocument {
    /// Parses notebook text. A fence that is never closed is an error naming its line.
    public init(parsing text: String) throws(NotebookError) {
        let lines = Self.splitLines(text)
        if let lone = lines.firstIndex(where: { $0.content.contains("\r") }) {  // "\r\n" is one Character: this finds a CR alone
            throw NotebookError("line \(lone + 1) has a carriage return (CR) that is not followed by a line feed; tensorbook reads only LF and CRLF line endings",
                                line: lone + 1, hint: "save the notebook with LF line endings, e.g.: tr '\\r' '\\n' < old.nb > new.nb")
        }
        var segments: [Segment] = []
        var prose = ""
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let fence = Fence(opening: line.content) else {
                prose += line.raw
                index += 1
                continue
            }
            guard let close = lines[(index + 1)...].firstIndex(where: { fence.isClosed(by: $0.content) }) else {
                throw NotebookError("the \(fence.marker)\(fence.info) fence opened on line \(index + 1) is never closed", line: index + 1,
                                    hint: "add a line with \(fence.marker) to end it")
            }
            let block = lines[index...close]
            let raw = block.map(\.raw).joined()
            let content = block.dropFirst().dropLast().map(\.content).joined(separator: "\n")
            let lastIsCell = segments.last.map { if case .cell = $0 { true } else { false } } ?? false
            let blankBetween = prose.allSatisfy(\.isWhitespace)
            switch fence.info {
            case "nb":
                if !prose.isEmpty { segments.append(.prose(prose)) }
                prose = ""
                var cell = Cell(raw: raw, source: content, fenceLine: index + 1, lineEnding: line.ending.isEmpty ? "\n" : line.ending)
                try Self.apply(fence.attributes, to: &cell, line: index + 1)
                segments.append(.cell(cell))
            case "output" where lastIsCell && blankBetween:
                if !prose.isEmpty { segments.append(.prose(prose)) }
                prose = ""
                segments.append(.output(Output(raw: raw, content: content, fenceLine: index + 1)))
            default:
                prose += raw
            }
            index = close + 1
        }
        if !prose.isEmpty { segments.append(.prose(prose)) }
        self.segments = segments
    }

    /// Sets a cell's options from the words after `nb` on its fence. An unknown bare word is an
    /// error (a misspelt `expect-error` must not pass silently); other `key=value` pairs, such as a
    /// renderer's `title="…"`, are left for other tools.
    static func apply(_ attributes: [String], to cell: inout Cell, line: Int) throws(NotebookError) {
        let known = "known attributes: expect-error, parameters, sample, stopped-after-batches=N, tolerance=N% (e.g. tolerance=5%)"
        for attribute in attributes {
            if attribute == "expect-error" {
                cell.expectsError = true
            } else if attribute == "parameters" {
                cell.holdsParameters = true
            } else if attribute == "sample" {
                cell.isSample = true
            } else if attribute.hasPrefix("stopped-after-batches=") {
                guard let batches = Int(attribute.dropFirst("stopped-after-batches=".count)), batches >= 0 else {
                    throw NotebookError("'\(attribute)' on line \(line) is not a batch count", line: line,
                                        hint: "write a whole number of training batches, e.g. stopped-after-batches=637")
                }
                cell.stoppedAfterBatches = batches
            } else if attribute.hasPrefix("tolerance=") {
                let text = attribute.dropFirst("tolerance=".count)
                guard text.hasSuffix("%"), let percent = Double(text.dropLast()), percent >= 0, percent <= 100 else {
                    throw NotebookError("'\(attribute)' on line \(line) is not a tolerance", line: line,
                                        hint: "write a percentage from 0 to 100, e.g. tolerance=5%")
                }
                cell.tolerance = percent / 100
            } else if !attribute.contains("=") {
                throw NotebookError("unknown cell attribute '\(attribute)' on line \(line)", line: line, hint: known)
            }
        }
    }

    /// Lines with their terminators kept ("\n", "\r\n", or none for a last line without one).
    static func splitLines(_ text: String) -> [(raw: String, content: String, ending: String)] {
        var lines: [(String, String, String)] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                let ending = character == "\r\n" ? "\r\n" : "\n"
                lines.append((current, String(current.dropLast()), ending))
                current = ""
            }
        }
        if !current.isEmpty { lines.append((current, current.hasSuffix("\r") ? String(current.dropLast()) : current, "")) }
        return lines
    }

    /// An opening code fence: up to three spaces, then three or more backticks or tildes, then
    /// the info string (CommonMark). Closed by a line of at least as many of the same character.
    struct Fence {
        let character: Character
        let count: Int
        let info: String
        /// Words after the info string's first word (e.g. `expect-error`).
        let attributes: [String]
        var marker: String { String(repeating: character, count: count) }

        init?(opening line: String) {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { return nil }
            let rest = line.dropFirst(indent)
            guard let first = rest.first, first == "`" || first == "~" else { return nil }
            let run = rest.prefix { $0 == first }.count
            guard run >= 3 else { return nil }
            let info = rest.dropFirst(run).trimmingCharacters(in: .whitespaces)
            if first == "`" && info.contains("`") { return nil }
            character = first
            count = run
            let words = info.split(separator: " ").map(String.init)
            self.info = words.first ?? ""
            attributes = Array(words.dropFirst())
        }

        func isClosed(by line: String) -> Bool {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { return false }
            let rest = line.dropFirst(indent)
            let run = rest.prefix { $0 == character }.count
            return run >= count && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
        }
    }
}

import Foundation
