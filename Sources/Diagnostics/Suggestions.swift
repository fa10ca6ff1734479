/// "Did you mean …?": the candidate closest to a misspelled name by edit distance.
public enum Suggestions {
    /// The closest candidate within a distance that scales with the name's length (1 for short
    /// names, up to 3), or nil when nothing is close. Ties go to the first candidate given.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let length = name.count, lowered = name.lowercased()
        let limit = min(3, max(1, length / 3))
        var best: (candidate: String, distance: Int)?
        // The distance is at least the difference in length: a 1M-character name is compared with nothing.
        for candidate in candidates where candidate != name && abs(candidate.count - length) <= limit {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= limit && distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previousRow = [Int](), row = Array(0...y.count)
        for i in 1...x.count {
            let twoBack = previousRow
            previousRow = row
            row = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                row[j] = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    row[j] = min(row[j], twoBack[j - 2] + 1)
                }
            }
        }
        return row[y.count]
    }
}

extension Suggestions {
    /// "did you mean 'x'?", or nil when nothing is close.
    public static func hint(for name: String, in candidates: some Sequence<String>) -> String? {
        closest(to: name, in: candidates).map { "did you mean '\($0)'?" }
    }
}
