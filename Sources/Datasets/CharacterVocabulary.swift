/// Characters ↔ ids for character-level language modelling: every distinct Unicode scalar of a
/// text, sorted by code point (as nanoGPT's `sorted(set(text))` does), so the same text always
/// gives the same ids. There is no padding and no unknown id: every id is a character.
public struct CharacterVocabulary: Sendable, Equatable {
    /// Characters by id.
    public let characters: [Unicode.Scalar]
    private let ids: [Unicode.Scalar: Int32]

    /// The vocabulary of `text`.
    public init(of text: String) {
        characters = Set(text.unicodeScalars).sorted { $0.value < $1.value }
        ids = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, Int32($0)) })
    }

    /// Number of ids (the size an embedding and the output layer need).
    public var size: Int { characters.count }

    /// The id of a character, nil when the text never had it.
    public func id(of character: Unicode.Scalar) -> Int32? { ids[character] }

    /// The ids of `text`; characters the vocabulary lacks make an error that lists them.
    public func encode(_ text: String) throws(DatasetError) -> [Int32] {
        var result: [Int32] = []
        var missing: [Unicode.Scalar] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for character in text.unicodeScalars {
            if let id = ids[character] { result.append(id) } else if !missing.contains(character) { missing.append(character) }
        }
        guard missing.isEmpty else {
            let listed = missing.prefix(5).map(Self.describe).joined(separator: ", ")
            throw DatasetError("\(missing.count == 1 ? "the character" : "\(missing.count) characters") \(listed) never occurred in the training text, so the model has no id for \(missing.count == 1 ? "it" : "them")",
                               hint: "use only characters of the vocabulary (\(size) characters: \(preview))")
        }
        return result
    }

    /// The text of `ids` (ids out of range become U+FFFD).
    public func decode(_ ids: some Sequence<Int32>) -> String {
        var text = String.UnicodeScalarView()
        for id in ids { text.append(characters.indices.contains(Int(id)) ? characters[Int(id)] : "\u{FFFD}") }
        return String(text)
    }

    /// The printable characters of the vocabulary, shortened: "!'(),-.0123…xyz".
    public var preview: String {
        let shown = characters.filter { $0.value >= 0x20 && $0.value != 0x7F }
        let text = String(String.UnicodeScalarView(shown.prefix(60)))
        return shown.count > 60 ? text + "…" : text
    }

    /// "'é' (U+00E9)"; control characters by code point only.
    static func describe(_ character: Unicode.Scalar) -> String {
        let hex = String(character.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return character.value < 0x20 || character.value == 0x7F ? code : "'\(Character(character))' (\(code))"
    }
}
