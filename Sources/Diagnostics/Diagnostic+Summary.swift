extension Diagnostic {
    /// The diagnostics a person can read: at most `perLine` of any one source line and `total` in
    /// all, then one error counting the rest and naming their lines (a 16 KB line of `$` is one
    /// error per character: printed whole, each with its line, that was 385 MB).
    public static func summarized(_ diagnostics: [Diagnostic], perLine: Int = 3, total: Int = 20) -> [Diagnostic] {
        guard diagnostics.count > perLine else { return diagnostics }
        var kept: [Diagnostic] = []
        var shownOnLine: [String: Int] = [:]
        var hiddenLines: [Int] = []
        var hidden = 0
        for diagnostic in diagnostics {
            let place = diagnostic.span.map { ($0.source.name, $0.source.lineIndex(of: $0.start) + $0.source.firstLine) }
            let key = place.map { "\($0.0):\($0.1)" } ?? ""
            if kept.count < total, shownOnLine[key, default: 0] < perLine {
                kept.append(diagnostic)
                shownOnLine[key, default: 0] += 1
            } else {
                hidden += 1
                if let line = place?.1, hiddenLines.last != line { hiddenLines.append(line) }
            }
        }
        guard hidden > 0 else { return kept }
        let lines = Set(hiddenLines).sorted()
        let shownLines = lines.prefix(5).map(String.init).joined(separator: ", ") + (lines.count > 5 ? ", …" : "")
        let place = lines.isEmpty ? "" : " (on line\(lines.count == 1 ? "" : "s") \(shownLines))"
        let kind = kept.last?.kind ?? .syntax
        kept.append(Diagnostic("\(hidden) more error\(hidden == 1 ? "" : "s")\(place) not shown", at: nil, kind: kind,
                               hint: "fix the first ones: the rest often follow from them"))
        return kept
    }
}
