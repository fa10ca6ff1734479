import Display

/// Draws display values into bitmaps for PNG export: grey images scaled up, and line plots with
/// axes, tick labels and a legend in a small built-in font.
public enum Rasterizer {
    /// One grey image, each pixel drawn as `scale`×`scale`.
    public static func bitmap(of image: GrayImage, scale: Int = 4) -> Bitmap {
        var bitmap = Bitmap(width: image.width * scale, height: image.height * scale, channels: 1, fill: [0])
        for y in 0..<image.height {
            for x in 0..<image.width {
                let value = image.pixels[y * image.width + x]
                for dy in 0..<scale { for dx in 0..<scale { bitmap.set(x * scale + dx, y * scale + dy, [value]) } }
            }
        }
        return bitmap
    }

    /// A strip of images side by side on white, each scaled by `scale` with its caption under it
    /// (one picture for a Jupyter `image/png` output).
    public static func bitmap(of strip: ImageStrip, scale: Int = 3) -> Bitmap {
        let gap = 8, captionHeight = 14
        let cellWidth = strip.images.map { max($0.width * scale, BitmapFont.width(of: $0.caption)) }
        let height = (strip.images.map(\.height).max() ?? 0) * scale + captionHeight + 2 * gap
        let width = cellWidth.reduce(gap) { $0 + $1 + gap }
        var bitmap = Bitmap(width: width, height: height, channels: 1, fill: [255])
        var left = gap
        for (image, cell) in zip(strip.images, cellWidth) {
            let picture = Self.bitmap(of: image, scale: scale)
            let x0 = left + (cell - picture.width) / 2
            for y in 0..<picture.height { for x in 0..<picture.width { bitmap.set(x0 + x, gap + y, [picture.pixels[y * picture.width + x]]) } }
            BitmapFont.draw(image.caption, at: (left + (cell - BitmapFont.width(of: image.caption)) / 2, gap + picture.height + 4),
                            color: [40], into: &bitmap)
            left += cell + gap
        }
        return bitmap
    }

    static let colors: [[UInt8]] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189]]

    /// The plot's panels stacked, each 560×220 pixels.
    public static func bitmap(of plot: Plot) -> Bitmap {
        let (panelWidth, panelHeight) = (560, 220)
        var bitmap = Bitmap(width: panelWidth, height: panelHeight * max(plot.panels.count, 1), channels: 3, fill: [255, 255, 255])
        for (index, panel) in plot.panels.enumerated() {
            drawPanel(panel.series, yLabel: panel.yLabel, xLabel: plot.xLabel, xCovers: plot.xCovers, into: &bitmap, top: index * panelHeight,
                      width: panelWidth, height: panelHeight)
        }
        return bitmap
    }

    private static func drawPanel(_ series: [Series], yLabel: String, xLabel: String, xCovers: ClosedRange<Double>?, into bitmap: inout Bitmap,
                                  top: Int, width: Int, height: Int) {
        guard let (xAxis, yAxis) = AxisRange.axes(for: series, xCovers: xCovers) else { return }
        let (xMin, xMax, yMin, yMax) = (xAxis.low, xAxis.high, yAxis.low, yAxis.high)
        let (left, right, plotTop, bottom) = (70, width - 20, top + 28, top + height - 36)
        let axis: [UInt8] = [60, 60, 60]
        line(&bitmap, (left, plotTop), (left, bottom), axis)
        line(&bitmap, (left, bottom), (right, bottom), axis)
        BitmapFont.draw(yLabel, at: (left, top + 8), color: axis, into: &bitmap)
        BitmapFont.draw(BrailleCanvas.label(yMax), at: (8, plotTop - 3), color: axis, into: &bitmap)
        BitmapFont.draw(BrailleCanvas.label(yMin), at: (8, bottom - 3), color: axis, into: &bitmap)
        BitmapFont.draw(BrailleCanvas.label(xMin), at: (left, bottom + 8), color: axis, into: &bitmap)
        let maxLabel = BrailleCanvas.label(xMax)
        BitmapFont.draw(maxLabel, at: (right - BitmapFont.width(of: maxLabel), bottom + 8), color: axis, into: &bitmap)
        BitmapFont.draw(xLabel, at: ((left + right - BitmapFont.width(of: xLabel)) / 2, bottom + 20), color: axis, into: &bitmap)
        for (index, line) in series.enumerated() {
            let color = colors[index % colors.count]
            let scaled = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { point in
                (left + Int(xAxis.fraction(point.x) * Double(right - left)), bottom - Int(yAxis.fraction(point.y) * Double(bottom - plotTop)))
            }
            for (a, b) in zip(scaled, scaled.dropFirst()) { thickLine(&bitmap, a, b, color) }
            for point in scaled { for dx in -2...2 { for dy in -2...2 { bitmap.set(point.0 + dx, point.1 + dy, color) } } }
            if scaled.count == 1, let only = line.points.first(where: { $0.x.isFinite && $0.y.isFinite }) {  // a lone point says its value
                BitmapFont.draw(BrailleCanvas.label(only.y), at: (min(scaled[0].0 + 6, right - 40), max(scaled[0].1 - 12, plotTop)), color: color, into: &bitmap)
            }
            BitmapFont.draw(line.name, at: (right - 200, top + 8 + 10 * index), color: color, into: &bitmap)
        }
    }

    private static func thickLine(_ bitmap: inout Bitmap, _ a: (Int, Int), _ b: (Int, Int), _ color: [UInt8]) {
        for offset in [(0, 0), (1, 0), (0, 1)] { line(&bitmap, (a.0 + offset.0, a.1 + offset.1), (b.0 + offset.0, b.1 + offset.1), color) }
    }

    /// Bresenham's line.
    static func line(_ bitmap: inout Bitmap, _ a: (Int, Int), _ b: (Int, Int), _ color: [UInt8]) {
        var (x, y) = a
        let (dx, dy) = (abs(b.0 - x), -abs(b.1 - y))
        let (sx, sy) = (x < b.0 ? 1 : -1, y < b.1 ? 1 : -1)
        var error = dx + dy
        while true {
            bitmap.set(x, y, color)
            if x == b.0 && y == b.1 { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }
}
