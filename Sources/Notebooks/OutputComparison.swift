/// Compares recorded and fresh outputs: numbers within a relative tolerance, all other text exactly
/// except the length of runs of spaces (a number one digit wider shifts the columns after it).
public enum OutputComparison {
    /// For a sample cell: the same number of characters, whatever they are.
    public static func sameLength(_ recorded: String, _ fresh: String) -> Bool {
        recorded.unicodeScalars.count == fresh.unicodeScalars.count
    }

    /// Whether two outputs agree.
    public static func matches(_ recorded: String, _ fresh: String, tolerance: Double) -> Bool {
        let a = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        let b = fresh.split(separator: "\n", omittingEmptySubsequences: false)
        return a.count == b.count && zip(a, b).allSatisfy { lineMatches(String($0), String($1), tolerance: tolerance) }
    }

    /// Two lines agree when their text matches and each pair of numbers is within tolerance. A
    /// table's rule line (dashes and spaces) agrees with one of the same number of columns: a
    /// column's rule widens with its widest number.
    static func lineMatches(_ a: String, _ b: String, tolerance: Double) -> Bool {
        if a == b { return true }
        if isRule(a), isRule(b) { return a.split(separator: " ").count == b.split(separator: " ").count }
        let x = tokens(collapsingSpaces(a)), y = tokens(collapsingSpaces(b))
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) {
            switch (p, q) {
            case (.text(let s), .text(let t)) where s == t: continue
            case (.number(let u, _), .number(let v, _)):
                if u == v || abs(u - v) <= tolerance * max(abs(u), abs(v)) || abs(u - v) < 1e-9 { continue }
                return false
            default: return false
            }
        }
        return true
    }

    /// A table's rule: dashes separated by spaces, nothing else.
    static func isRule(_ line: String) -> Bool {
        line.contains("--") && line.allSatisfy { $0 == "-" || $0 == " " }
    }

    /// The line with every run of spaces shortened to one space, and leading and trailing spaces
    /// dropped (right-aligned columns move when a number gains a digit).
    static func collapsingSpaces(_ line: String) -> String {
        var result = ""
        for character in line where !(character == " " && (result.isEmpty || result.last == " ")) {
            result.append(character)
        }
        while result.last == " " { result.removeLast() }
        return result
    }

    enum Token: Equatable {
        case text(String)
        case number(Double, String)
    }

    /// Splits a line into numbers (with thousands separators and exponents) and the text between.
    static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        var text = "", characters = Array(line), index = 0
        func isDigit(_ i: Int) -> Bool { i < characters.count && characters[i].isASCII && characters[i].isNumber }
        while index < characters.count {
            let startsNumber = isDigit(index) || ((characters[index] == "-" || characters[index] == ".") && isDigit(index + 1))
            let continuesWord = index > 0 && (characters[index - 1].isLetter || characters[index - 1] == "_")
            guard startsNumber && !continuesWord else {
                text.append(characters[index])
                index += 1
                continue
            }
            if !text.isEmpty { result.append(.text(text)); text = "" }
            var end = index + 1
            while end < characters.count, isDigit(end) || characters[end] == "." || (characters[end] == "," && isDigit(end + 1) && isDigit(end + 3) && !isDigit(end + 4)) {
                end += 1
            }
            if end < characters.count, characters[end] == "e" || characters[end] == "E" {
                let signed = end + 1 < characters.count && (characters[end + 1] == "-" || characters[end + 1] == "+")
                if isDigit(end + (signed ? 2 : 1)) {
                    end += signed ? 2 : 1
                    while isDigit(end) { end += 1 }
                }
            }
            let literal = String(characters[index..<end])
            if let value = Double(literal.filter { $0 != "," }) { result.append(.number(value, literal)) } else { text += literal }
            index = end
        }
        if !text.isEmpty { result.append(.text(text)) }
        return result
    }

    /// A unified diff of two texts by lines (longest common subsequence), with `---`/`+++` labels.
    public static func unifiedDiff(_ old: String, _ new: String, oldLabel: String, newLabel: String) -> String {
        let a = old.isEmpty ? [] : old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.isEmpty ? [] : new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines = ["--- \(oldLabel)", "+++ \(newLabel)", "@@ -1,\(a.count) +1,\(b.count) @@"]
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { lines.append(" " + a[i]); i += 1; j += 1 }
            else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] { lines.append("-" + a[i]); i += 1 }
            else { lines.append("+" + b[j]); j += 1 }
        }
        return lines.joined(separator: "\n")
    }
}
