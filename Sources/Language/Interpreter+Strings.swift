import Diagnostics
import Foundation

extension Interpreter {
    /// The methods of a string: each gives a new value (strings do not change).
    static let stringMethods = ["format", "join", "split", "splitlines", "strip", "lower", "upper", "replace", "startswith", "endswith"]

    /// `"-".join(xs)`, `s.split(",")`, `s.strip()`, `s.lower()`, `"{} of {:.2f}".format(a, b)`, ….
    func callStringMethod(_ text: String, _ name: String, _ arguments: [Argument], _ values: [Value], nameSpan: SourceSpan,
                          at span: SourceSpan) throws(Diagnostic) -> Value {
        func expect(_ count: ClosedRange<Int>, _ usage: String) throws(Diagnostic) {
            try expectPositional(count, name, usage, arguments, values, at: span)
        }
        func string(_ index: Int, _ usage: String) throws(Diagnostic) -> String {
            guard case .string(let value) = values[index] else {
                throw Diagnostic("\(name) needs text, got a \(values[index].typeName)", at: arguments[index].span, hint: "usage: \(usage)")
            }
            return value
        }
        switch name {
        case "format":
            guard arguments.allSatisfy({ $0.label == nil }) else {
                throw Diagnostic("format takes its values in order here: \"{} {}\".format(a, b)", at: span, hint: "or write an f-string: f\"{a} {b}\"")
            }
            return .string(try formatTemplate(text, values, at: span))
        case "join":
            try expect(1...1, "\", \".join(words)")
            let iterator = try makeIterator(values[0], at: arguments[0].span)
            var pieces: [String] = []
            while let item = try hostCall(span: span, what: "join", { try iterator.next() }) {
                guard case .string(let piece) = item else {
                    throw Diagnostic("join needs text items, got a \(item.typeName) \(item.quotedDescription)", at: arguments[0].span,
                                     hint: "turn numbers into text first: \", \".join([str(x) for x in xs])")
                }
                pieces.append(piece)
            }
            let joined = pieces.joined(separator: text)
            try checkSize(joined.utf8.count, of: "string", at: span)
            return .string(joined)
        case "split":
            try expect(0...1, "s.split() or s.split(\",\")")
            if values.isEmpty { return .makeList(text.split(whereSeparator: \.isWhitespace).map { .string(String($0)) }) }
            let separator = try string(0, "s.split(\",\")")
            guard !separator.isEmpty else { throw Diagnostic("split: the separator is empty", at: arguments[0].span, hint: "s.split() splits at spaces") }
            return .makeList(text.components(separatedBy: separator).map(Value.string))
        case "splitlines":
            try expect(0...0, "s.splitlines()")
            return .makeList(TextFileObject.lines(of: text, keepingEnds: false))
        case "strip":
            try expect(0...0, "s.strip()")
            return .string(text.trimmingCharacters(in: .whitespacesAndNewlines))
        case "lower":
            try expect(0...0, "s.lower()")
            return .string(text.lowercased())
        case "upper":
            try expect(0...0, "s.upper()")
            return .string(text.uppercased())
        case "replace":
            try expect(2...2, "s.replace(\"old\", \"new\")")
            let old = try string(0, "s.replace(\"old\", \"new\")"), new = try string(1, "s.replace(\"old\", \"new\")")
            guard !old.isEmpty else { throw Diagnostic("replace: the text to replace is empty", at: arguments[0].span) }
            let replaced = text.replacingOccurrences(of: old, with: new)
            try checkSize(replaced.utf8.count, of: "string", at: span)
            return .string(replaced)
        case "startswith", "endswith":
            try expect(1...1, "s.\(name)(\"text\")")
            let part = try string(0, "s.\(name)(\"text\")")
            return .bool(name == "startswith" ? text.hasPrefix(part) : text.hasSuffix(part))
        default:
            let suggestion = Suggestions.closest(to: name, in: Self.stringMethods)
            throw Diagnostic("a string has no method '\(name)'", at: nameSpan,
                             hint: suggestion.map { "did you mean '\($0)'?" } ?? "string methods: \(Self.stringMethods.joined(separator: ", "))")
        }
    }

    /// `"{} of {:.1f}"` with its values: `{}` takes the next, `{0}` a numbered one, `{:spec}` formats
    /// as an f-string's `{x:spec}` does; `{{` and `}}` are braces.
    private func formatTemplate(_ template: String, _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> String {
        var result = "", next = 0
        var characters = template[...]
        while let character = characters.popFirst() {
            if character == "}" {
                guard characters.first == "}" else { throw Diagnostic("format: a single '}' in the text", at: span, hint: "write }} for a brace") }
                characters.removeFirst()
                result.append("}")
                continue
            }
            guard character == "{" else { result.append(character); continue }
            if characters.first == "{" { characters.removeFirst(); result.append("{"); continue }
            guard let close = characters.firstIndex(of: "}") else {
                throw Diagnostic("format: a '{' without its '}'", at: span, hint: "write {{ for a brace")
            }
            let field = characters[..<close]
            characters = characters[characters.index(after: close)...]
            let (position, specification) = field.firstIndex(of: ":").map { (field[..<$0], String(field[field.index(after: $0)...])) } ?? (field, "")
            let index: Int
            if position.isEmpty {
                index = next
                next += 1
            } else if let number = Int(position) {
                index = number
            } else {
                throw Diagnostic("format: '{\(field)}' names a value; here values are given in order", at: span, hint: "use {} or {0}, or an f-string")
            }
            guard values.indices.contains(index) else {
                throw Diagnostic("format: the text asks for value \(index + 1) but \(values.count) \(values.count == 1 ? "was" : "were") given", at: span)
            }
            result += try formatted(values[index], specification, at: span)
            try checkSize(result.utf8.count, of: "string", at: span)
        }
        return result
    }
}
