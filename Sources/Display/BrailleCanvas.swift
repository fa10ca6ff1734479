/// Draws line plots with braille characters (2×4 dots per cell) inside a labelled frame.
public enum BrailleCanvas {
    /// Plot area in characters.
    static let columns = 50, rows = 10
    /// ANSI colours for successive series when colour is on.
    static let palette = ["36", "33", "35", "32", "31"]

    /// Every panel of the plot, one under another, with axes and a legend.
    public static func render(_ plot: Plot, color: Bool) -> String {
        var lines: [String] = []
        if let title = plot.title { lines.append(title) }
        for panel in plot.panels {
            lines += renderPanel(yLabel: panel.yLabel, series: panel.series, xLabel: plot.xLabel, xCovers: plot.xCovers, color: color)
        }
        return lines.joined(separator: "\n")
    }

    private static func renderPanel(yLabel: String, series: [Series], xLabel: String, xCovers: ClosedRange<Double>?, color: Bool) -> [String] {
        guard let (xAxis, yAxis) = AxisRange.axes(for: series, xCovers: xCovers) else { return ["\(yLabel): no data"] }
        let (xMin, xMax, yMin, yMax) = (xAxis.low, xAxis.high, yAxis.low, yAxis.high)
        let width = columns * 2, height = rows * 4
        var cells = Array(repeating: Array(repeating: (bits: UInt8(0), series: -1), count: columns), count: rows)
        func dot(_ x: Int, _ y: Int, _ index: Int) {
            guard (0..<width).contains(x), (0..<height).contains(y) else { return }
            let bit: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            cells[y / 4][x / 2].bits |= bit[y % 4][x % 2]
            cells[y / 4][x / 2].series = index
        }
        for (index, line) in series.enumerated() {
            let scaled = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { point in
                (Int((xAxis.fraction(point.x) * Double(width - 1)).rounded()),
                 Int(((1 - yAxis.fraction(point.y)) * Double(height - 1)).rounded()))
            }
            for (a, b) in zip(scaled, scaled.dropFirst()) { drawLine(from: a, to: b) { dot($0, $1, index) } }
            if scaled.count == 1 {  // a lone point as a 2×2 block of dots, so it is seen
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { dot(scaled[0].0 + dx - 1, scaled[0].1 + dy - 1, index) }
            }
        }
        let top = label(yMax), bottom = label(yMin)
        let gutter = max(top.count, bottom.count)
        var lines = ["\(yLabel)"]
        for (row, cellsOfRow) in cells.enumerated() {
            let axisLabel = row == 0 ? top : (row == rows - 1 ? bottom : "")
            let body = cellsOfRow.map { cell -> String in
                let character = String(UnicodeScalar(0x2800 + UInt32(cell.bits))!)
                guard color, cell.series >= 0, cell.bits != 0 else { return character }
                return "\u{1B}[\(palette[cell.series % palette.count])m\(character)\u{1B}[0m"
            }.joined()
            lines.append(String(repeating: " ", count: gutter - axisLabel.count) + axisLabel + " ┤" + body)
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(repeating: "─", count: columns))
        let left = label(xMin), right = label(xMax)
        lines.append(String(repeating: " ", count: gutter + 2) + left + String(repeating: " ", count: max(1, columns - left.count - right.count)) + right)
        lines.append(String(repeating: " ", count: gutter + 2) + xLabel + (series.count > 1
            ? "   " + series.enumerated().map { index, line in
                color ? "\u{1B}[\(palette[index % palette.count])m━\u{1B}[0m \(line.name)" : "\(index + 1): \(line.name)"
            }.joined(separator: "  ") : ""))
        for line in series {  // a lone point also says its value
            let finite = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            if finite.count == 1 {
                lines.append(String(repeating: " ", count: gutter + 2) + "one point: \(line.name) \(label(finite[0].y)) at \(xLabel) \(label(finite[0].x))")
            }
        }
        return lines
    }

    /// Bresenham's line between two dot positions.
    private static func drawLine(from a: (Int, Int), to b: (Int, Int), _ plot: (Int, Int) -> Void) {
        var (x, y) = a
        let (dx, dy) = (abs(b.0 - x), -abs(b.1 - y))
        let (sx, sy) = (x < b.0 ? 1 : -1, y < b.1 ? 1 : -1)
        var error = dx + dy
        while true {
            plot(x, y)
            if x == b.0 && y == b.1 { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// A short axis label: 4 significant digits, no trailing zeros.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        if value == value.rounded() && abs(value) < 1e6 { return String(Int(value)) }
        let digits = max(0, 3 - Int(log10(max(abs(value), 1e-12)).rounded(.down)))
        var text = Progress.format(Float(value), digits: min(digits, 6))
        while text.contains(".") && !text.contains("e") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text
    }
}

#if canImport(Glibc)
import Glibc
#endif
