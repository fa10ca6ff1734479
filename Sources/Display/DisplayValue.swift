/// Something the interpreter shows. Plain values, no I/O: the REPL renders them with `Terminal`,
/// the notebook runner records them as text, tests inspect them directly.
public enum DisplayValue: Sendable, Equatable {
    /// Preformatted text (may span lines).
    case text(String)
    /// Rows and columns.
    case table(Table)
    /// Grey-level images side by side with captions (MNIST digits).
    case images(ImageStrip)
    /// Line plots sharing an x axis (loss and accuracy per epoch).
    case plot(Plot)
    /// A live training update: redrawn in place on a terminal, reduced to epoch summaries elsewhere.
    case progress(Progress)
    /// `clear`: forget what the running cell has shown so far (Jupyter's `clear_output`), so a
    /// loop can redraw a plot in place. Notebooks record only what follows; a terminal keeps its
    /// scrollback.
    case clearOutput
    /// A piece of text produced as it is computed (`generate`'s characters): a terminal writes it
    /// at once without a line break; `isLast` ends the line. Recorded output keeps the pieces as
    /// one `.text` (see `mergingStreams`).
    case stream(String, isLast: Bool)
    /// Text holding wall-clock figures (seconds, GFLOP/s, energy): shown where timings are on;
    /// `untimed`, its machine-independent part, everywhere else (notebooks, `:save`, pipes).
    case timed(String, untimed: String)
}

extension Array where Element == DisplayValue {
    /// The values with each run of `.stream` pieces joined into one `.text` (an unfinished run
    /// too), as notebooks and captures keep them.
    public func mergingStreams() -> [DisplayValue] {
        var result: [DisplayValue] = []
        var pending: String?
        for value in self {
            guard case .stream(let piece, let isLast) = value else {
                if let text = pending { result.append(.text(text)); pending = nil }
                result.append(value)
                continue
            }
            pending = (pending ?? "") + piece
            if isLast, let text = pending { result.append(.text(text)); pending = nil }
        }
        if let text = pending { result.append(.text(text)) }
        return result
    }
}

/// A table: a header row, data rows, and per-column alignment.
public struct Table: Sendable, Equatable {
    /// Column alignment.
    public enum Alignment: Sendable, Equatable { case left, right }
    public var title: String?
    public var headers: [String]
    public var rows: [[String]]
    public var alignments: [Alignment]
    /// A line under the rows (totals).
    public var footer: [String]?

    /// A table; alignments default to left for the first column and right for the rest.
    public init(title: String? = nil, headers: [String], rows: [[String]], alignments: [Alignment]? = nil, footer: [String]? = nil) {
        self.title = title
        self.headers = headers
        self.rows = rows
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
        self.footer = footer
    }
}

/// One grey-level image: width × height bytes, 0 black … 255 white, row-major.
public struct GrayImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    /// A short caption under the image, e.g. "7" or "7→1".
    public var caption: String

    /// An image; `pixels.count` must be width × height.
    public init(width: Int, height: Int, pixels: [UInt8], caption: String) {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.caption = caption
    }
}

/// Images shown in a row.
public struct ImageStrip: Sendable, Equatable {
    public var title: String?
    public var images: [GrayImage]

    /// A strip of images.
    public init(title: String? = nil, images: [GrayImage]) {
        self.title = title
        self.images = images
    }
}

/// One plotted line.
public struct Series: Sendable, Equatable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    /// The values the series can take (0…1 for an accuracy, 0… for a loss): the y axis stays inside.
    public var limits: ClosedRange<Double>?

    /// A named series of points.
    public init(name: String, points: [(x: Double, y: Double)], limits: ClosedRange<Double>? = nil) {
        self.name = name
        self.points = points
        self.limits = limits
    }

    public static func == (a: Series, b: Series) -> Bool {
        a.name == b.name && a.limits == b.limits && a.points.count == b.points.count && zip(a.points, b.points).allSatisfy { $0.x == $1.x && $0.y == $1.y }
    }
}

/// A plot: one panel per series group (e.g. loss, accuracy), drawn over the same x axis.
public struct Plot: Sendable, Equatable {
    public var title: String?
    public var xLabel: String
    /// Panels, each with a y label and its series.
    public var panels: [(yLabel: String, series: [Series])]
    /// A span the x axis covers at least (0…1 for a history of one epoch, or stopped in its
    /// first, so the point reads as how far training got); nil to span just the points.
    public var xCovers: ClosedRange<Double>?

    /// A plot with panels.
    public init(title: String? = nil, xLabel: String, panels: [(yLabel: String, series: [Series])]) {
        self.title = title
        self.xLabel = xLabel
        self.panels = panels
    }

    public static func == (a: Plot, b: Plot) -> Bool {
        a.title == b.title && a.xLabel == b.xLabel && a.xCovers == b.xCovers && a.panels.count == b.panels.count
            && zip(a.panels, b.panels).allSatisfy { $0.yLabel == $1.yLabel && $0.series == $1.series }
    }
}
