/// The cells this kernel ran with `store_history`, for `history_request`: the last n (tail), a
/// range of line numbers, or a glob search — as IPython answers them, one session per kernel.
struct ExecutionHistory {
    /// One executed cell.
    struct Entry {
        var line: Int
        var input: String
        var output: String
    }

    /// This kernel's session number in history replies.
    let session = 1
    private(set) var entries: [Entry] = []

    /// Remembers a cell run as `In[line]`.
    mutating func record(line: Int, input: String, output: String) {
        entries.append(Entry(line: line, input: input, output: output))
    }

    /// The reply's `history`: [session, line, input] or [session, line, [input, output]].
    func reply(_ request: JSONValue) -> JSONValue {
        let withOutput = request["output"]?.bool ?? false
        let selected: [Entry]
        switch request["hist_access_type"]?.string ?? "tail" {
        case "range":
            let session = request["session"]?.int ?? 0
            guard session == self.session || session <= 0 else { return [] }
            let start = request["start"]?.int ?? 0
            let stop = request["stop"]?.int ?? Int.max
            selected = entries.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = Array(request["pattern"]?.string ?? "*")
            var matches = entries.filter { Self.glob(pattern, matches: Array($0.input)) }
            if request["unique"]?.bool ?? false {
                var seen = Set<String>()
                matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            selected = last(request["n"]?.int, of: matches)
        default:
            selected = last(request["n"]?.int ?? 10, of: entries)
        }
        return .array(selected.map { entry in
            let input = JSONValue.string(entry.input)
            return [.int(session), .int(entry.line), withOutput ? [input, .string(entry.output)] : input]
        })
    }

    private func last(_ n: Int?, of entries: [Entry]) -> [Entry] {
        guard let n else { return entries }
        return Array(entries.suffix(max(n, 0)))
    }

    /// Shell-style glob: `*` any run of characters, `?` any one character, the rest literally.
    static func glob(_ pattern: [Character], matches text: [Character]) -> Bool {
        var (p, t) = (0, 0)
        var star: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = (p, t); p += 1
            } else if let last = star {
                p = last.pattern + 1; t = last.text + 1; star = (last.pattern, last.text + 1)
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
