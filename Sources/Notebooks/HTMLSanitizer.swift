import Foundation

/// The HTML that prose of an untrusted notebook may put into an export, as Jupyter treats an
/// untrusted notebook's Markdown: formatting tags stay; scripts, styles, frames and forms go with
/// their contents; every other tag is shown as text; attributes are kept only when harmless
/// (`href`/`src` without a `javascript:`-like scheme, `alt`, `title`, table spans) and event
/// handlers (`onload=…`) never. Runs on the HTML that Markdown rendering produced.
enum HTMLSanitizer {
    /// Tags kept (with their safe attributes).
    static let allowedTags: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    ]
    /// Tags removed together with everything up to their closing tag.
    static let droppedWithContents: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template", "noscript", "svg", "math", "form",
        "textarea", "select", "button", "input", "link", "meta", "base",
    ]
    private static let allowedAttributes: Set<String> = ["href", "src", "alt", "title", "colspan", "rowspan", "align"]

    /// `html` with only the allowed markup left.
    static func sanitized(_ html: String) -> String {
        let text = Array(html.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < text.count {
            guard text[index] == "<" else {
                result.append(text[index])
                index += 1
                continue
            }
            if starts(text, at: index, with: "<!--") {  // comments: dropped (they can hide conditional markup)
                index = find(text, "-->", from: index + 4).map { $0 + 3 } ?? text.count
                continue
            }
            guard let close = text[index...].firstIndex(of: ">"), let tag = Tag(String(String.UnicodeScalarView(text[(index + 1)..<close]))) else {
                result.append(contentsOf: "&lt;".unicodeScalars)
                index += 1
                continue
            }
            if droppedWithContents.contains(tag.name) {
                index = tag.isClosing || tag.selfCloses ? close + 1 : (find(text, "</" + tag.name, from: close + 1, caseInsensitive: true)
                    .flatMap { end in text[end...].firstIndex(of: ">").map { $0 + 1 } } ?? text.count)
                continue
            }
            if allowedTags.contains(tag.name) {
                result.append(contentsOf: tag.rendered(keeping: allowedAttributes, isSafe: isSafe).unicodeScalars)
            } else {
                result.append(contentsOf: escaped(String(String.UnicodeScalarView(text[index...close]))).unicodeScalars)
            }
            index = close + 1
        }
        return String(result)
    }

    /// Whether an attribute's value can do nothing but point or describe.
    static func isSafe(attribute: String, value: String) -> Bool {
        guard attribute == "href" || attribute == "src" else { return true }
        let squeezed = String(value.unicodeScalars.filter { $0.value > 0x20 }).lowercased()
        // A browser decodes entities before it reads the scheme: javascript&#58;… is javascript:…
        if squeezed.contains("&#") || squeezed.contains("&colon;") || squeezed.contains("&tab;") || squeezed.contains("&newline;") { return false }
        for scheme in ["javascript:", "vbscript:", "file:"] where squeezed.hasPrefix(scheme) { return false }
        if squeezed.hasPrefix("data:") { return attribute == "src" && squeezed.hasPrefix("data:image/") && !squeezed.hasPrefix("data:image/svg") }
        return true
    }

    /// `text` with `&`, `<`, `>` and `"` as entities.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func starts(_ text: [Unicode.Scalar], at index: Int, with prefix: String) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        return index + scalars.count <= text.count && Array(text[index..<(index + scalars.count)]) == scalars
    }

    private static func find(_ text: [Unicode.Scalar], _ needle: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let target = Array((caseInsensitive ? needle.lowercased() : needle).unicodeScalars)
        guard !target.isEmpty, start + target.count <= text.count else { return nil }
        for index in start...(text.count - target.count) {
            let window = text[index..<(index + target.count)]
            if caseInsensitive ? window.map({ Character($0).lowercased() }) == target.map({ String(Character($0)) }) : Array(window) == target { return index }
        }
        return nil
    }
}

/// One tag's name, whether it closes or closes itself, and its attributes.
private struct Tag {
    let name: String
    let isClosing: Bool
    let selfCloses: Bool
    let attributes: [(name: String, value: String?)]

    /// The tag between `<` and `>`, or nil when it is not one (`a < b > c` in prose).
    init?(_ inside: String) {
        var rest = Substring(inside)
        isClosing = rest.hasPrefix("/")
        if isClosing { rest = rest.dropFirst() }
        selfCloses = rest.hasSuffix("/")
        if selfCloses { rest = rest.dropLast() }
        let nameText = rest.prefix { $0.isLetter || $0.isNumber }
        guard let first = nameText.first, first.isLetter else { return nil }
        name = nameText.lowercased()
        rest = rest.dropFirst(nameText.count)
        guard rest.isEmpty || rest.first!.isWhitespace || rest.first == "/" else { return nil }
        var attributes: [(String, String?)] = []
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            let attribute = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != "/" }
            guard !attribute.isEmpty else { break }
            rest = rest.dropFirst(attribute.count).drop(while: \.isWhitespace)
            var value: String?
            if rest.first == "=" {
                rest = rest.dropFirst().drop(while: \.isWhitespace)
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let body = rest.dropFirst().prefix { $0 != quote }
                    value = String(body)
                    rest = rest.dropFirst(body.count + 2)
                } else {
                    let body = rest.prefix { !$0.isWhitespace }
                    value = String(body)
                    rest = rest.dropFirst(body.count)
                }
            }
            attributes.append((attribute.lowercased(), value))
        }
        self.attributes = attributes
    }

    /// The tag written again with the attributes that are allowed and safe.
    func rendered(keeping allowed: Set<String>, isSafe: (String, String) -> Bool) -> String {
        if isClosing { return "</\(name)>" }
        let kept = attributes.compactMap { attribute -> String? in
            guard allowed.contains(attribute.name) else { return nil }
            guard let value = attribute.value else { return attribute.name }
            let decoded = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            guard isSafe(attribute.name, decoded) else { return nil }
            return "\(attribute.name)=\"\(HTMLSanitizer.escaped(decoded))\""
        }
        return "<" + ([name] + kept).joined(separator: " ") + (selfCloses ? " />" : ">")
    }
}
