/// Word ↔ id mapping for text: id 0 is padding, id 1 stands for any word not in the vocabulary.
public struct Vocabulary: Sendable, Equatable {
    /// The padding id.
    public static let padding: Int32 = 0
    /// The out-of-vocabulary id.
    public static let unknown: Int32 = 1
    /// Words by id; ids 0 and 1 are "<pad>" and "<unk>".
    public let words: [String]
    private let ids: [String: Int32]

    /// The `limit` most frequent words of `documents` (ties broken alphabetically, so the same
    /// text always gives the same ids), after the two reserved ids.
    public init(documents: [[String]], limit: Int) {
        var counts: [String: Int] = [:]
        for document in documents { for word in document { counts[word, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map(\.key)
        words = ["<pad>", "<unk>"] + ranked
        ids = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
    }

    /// Number of ids (the size an embedding needs), reserved ids included.
    public var size: Int { words.count }

    /// The id of a word (`unknown` if absent).
    public func id(of word: String) -> Int32 { ids[word] ?? Self.unknown }

    /// Ids for `tokens`, cut to the last `length` or left-padded with 0 up to it. Padding goes at
    /// the front so that the final step — the one an LSTM classifier reads — is always a real word.
    public func encode(_ tokens: [String], length: Int) -> [Int32] {
        let ids = tokens.suffix(length).map(id(of:))
        return Array(repeating: Self.padding, count: length - ids.count) + ids
    }

    /// Words for ids, skipping padding.
    public func decode(_ ids: [Int32]) -> [String] {
        ids.filter { $0 != Self.padding }.map { Int($0) < words.count ? words[Int($0)] : "<?>" }
    }
}

/// Splits text into lowercase words: letters, digits and inner apostrophes; everything else
/// separates words ("Don't stop!" → ["don't", "stop"]).
public enum Tokenizer {
    /// The words of `text`.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || (character == "'" && !current.isEmpty) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current.hasSuffix("'") ? String(current.dropLast()) : current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current.hasSuffix("'") ? String(current.dropLast()) : current) }
        return words
    }
}
