/// Draws grey-level images as text, several side by side with captions underneath. Plain mode
/// averages 2×2 pixels into one character of a ten-step ramp (a 28×28 digit becomes 14×14);
/// half-block mode (for colour terminals) draws two pixels per cell at full resolution.
public enum ImageArt {
    /// Dark to light.
    static let ramp = Array(" .:-=+*#%@")
    /// Images per row of output.
    static let perRow = 6

    /// The images as lines of text.
    public static func render(_ strip: ImageStrip, halfBlocks: Bool) -> String {
        var blocks: [String] = []
        if let title = strip.title { blocks.append(title) }
        for start in stride(from: 0, to: strip.images.count, by: perRow) {
            let row = Array(strip.images[start..<min(start + perRow, strip.images.count)])
            let drawn = row.map { halfBlocks ? halfBlockLines($0) : rampLines($0) }
            let widths = drawn.map { lines in max(lines.first.map(visibleWidth) ?? 0, 0) }
            let height = drawn.map(\.count).max() ?? 0
            var lines: [String] = []
            for y in 0..<height {
                lines.append(drawn.enumerated().map { index, image in y < image.count ? image[y] : String(repeating: " ", count: widths[index]) }
                    .joined(separator: "  ").trimmingTrailingSpaces())
            }
            lines.append(zip(row, widths).map { image, width in centered(image.caption, width) }.joined(separator: "  ").trimmingTrailingSpaces())
            blocks.append(lines.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n")
    }

    /// 2×2 pixel averages through the ramp.
    static func rampLines(_ image: GrayImage) -> [String] {
        stride(from: 0, to: image.height, by: 2).map { y in
            String(stride(from: 0, to: image.width, by: 2).map { x -> Character in
                var total = 0, count = 0
                for dy in 0..<2 where y + dy < image.height {
                    for dx in 0..<2 where x + dx < image.width {
                        total += Int(image.pixels[(y + dy) * image.width + x + dx])
                        count += 1
                    }
                }
                return ramp[min(ramp.count - 1, total / max(count, 1) * ramp.count / 256)]
            })
        }
    }

    /// Upper-half blocks: foreground = upper pixel, background = lower pixel (24-step grey ANSI).
    static func halfBlockLines(_ image: GrayImage) -> [String] {
        func grey(_ value: UInt8) -> Int { 232 + Int(value) * 23 / 255 }
        return stride(from: 0, to: image.height, by: 2).map { y in
            (0..<image.width).map { x in
                let top = image.pixels[y * image.width + x]
                let bottom = y + 1 < image.height ? image.pixels[(y + 1) * image.width + x] : 0
                return "\u{1B}[38;5;\(grey(top))m\u{1B}[48;5;\(grey(bottom))m▀"
            }.joined() + "\u{1B}[0m"
        }
    }

    /// Width on screen, ignoring ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0, inEscape = false
        for character in text {
            if character == "\u{1B}" { inEscape = true } else if inEscape { if character == "m" { inEscape = false } } else { width += 1 }
        }
        return width
    }

    static func centered(_ text: String, _ width: Int) -> String {
        let clipped = String(text.prefix(width))
        let left = (width - clipped.count) / 2
        return String(repeating: " ", count: left) + clipped + String(repeating: " ", count: width - clipped.count - left)
    }
}
