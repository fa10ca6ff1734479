import Datasets
import Display
import TensorEngine

/// Pictures and tables of attention weights: which earlier positions each position reads.
public enum AttentionPatterns {
    /// One picture per block and head of the first example's weights [1, heads, T, T]: row i is
    /// what position i attends to, white = weight 1, black = 0 (the causal mask leaves the upper
    /// right black). Small windows are enlarged so that each cell stays visible.
    public static func images(_ patterns: [(layer: Int, weights: Tensor)], title: String) -> ImageStrip {
        var images: [GrayImage] = []
        for (block, pattern) in patterns.enumerated() {
            let (heads, size) = (pattern.weights.shape[1], pattern.weights.shape[3])
            // At least 32 pixels a side, so the caption fits under the picture in plain text too.
            let scale = max(1, (32 + size - 1) / max(size, 1)), side = size * scale
            let values = pattern.weights.scalars
            for head in 0..<heads {
                var pixels = [UInt8](repeating: 0, count: side * side)
                for row in 0..<side {
                    for column in 0..<side {
                        let weight = values[(head * size + row / scale) * size + column / scale]
                        pixels[row * side + column] = UInt8(max(0, min(255, (weight * 255).rounded())))
                    }
                }
                images.append(GrayImage(width: side, height: side, pixels: pixels, caption: "block \(block + 1) head \(head + 1)"))
            }
        }
        return ImageStrip(title: title, images: images)
    }

    /// One head's weights for the first `limit` positions as a table: a row per position
    /// (labelled by its character), a column per position it may read; masked cells are "·".
    public static func table(_ weights: Tensor, head: Int, labels: [String], limit: Int = 8, title: String) -> Table {
        let size = weights.shape[3], shown = min(limit, size)
        let values = weights.scalars
        let rows = (0..<shown).map { row -> [String] in
            ["\(row) \(labels[row])"] + (0..<shown).map { column in
                column > row && values[(head * size + row) * size + column] == 0 ? "·" : Progress.format(values[(head * size + row) * size + column], digits: 2)
            }
        }
        return Table(title: title, headers: ["reads →"] + (0..<shown).map { "\($0) \(labels[$0])" }, rows: rows,
                     alignments: [.left] + Array(repeating: .right, count: shown))
    }

    /// A character as a table label: quoted, with line breaks and spaces made visible.
    public static func label(_ character: String) -> String {
        switch character {
        case "\n": "'⏎'"
        case "\t": "'⇥'"
        case " ": "'␣'"
        default: "'\(character)'"
        }
    }

    /// Labels for the ids of a window.
    public static func labels(_ ids: [Int32], _ characters: CharacterVocabulary) -> [String] {
        ids.map { label(characters.decode([$0])) }
    }
}
