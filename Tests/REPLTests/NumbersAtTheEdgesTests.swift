import Display
import Foundation
import Terminal
import Testing

/// Every display value renders (plain, ANSI, PNG) whatever numbers it carries: ±∞, NaN, the
/// largest floats and −0 (issue 15, item 4). A trap here would end the session.
@Suite struct NumbersAtTheEdgesTests {
    static let edges: [Double] = [.infinity, -.infinity, .nan, -.nan, 1e38, -1e38, 3.4e38, 1e300, -0.0, 0, 1e-45, 9.3e18]

    static func values(around edge: Double) -> [DisplayValue] {
        let float = Float(edge)
        let progress = [true, false].map { summary in
            DisplayValue.progress(Progress(epoch: 1, epochs: 3, batch: 5, batches: 10, loss: float, accuracy: float, examplesPerSecond: edge,
                                           seconds: edge, isEpochSummary: summary, perplexity: float))
        }
        let plot = Plot(title: "edge", xLabel: "epoch", panels: [
            (yLabel: "loss", series: [Series(name: "train", points: [(1, edge), (2, 1), (edge, 2)]), Series(name: "one", points: [(edge, edge)])]),
            (yLabel: "accuracy", series: [Series(name: "only", points: [(1, edge)])]),
        ])
        let table = Table(title: "\(edge)", headers: ["value", "text"], rows: [[Progress.format(float, digits: 4), Progress.whole(edge)]],
                          footer: [BrailleCanvas.label(edge), ""])
        let image = GrayImage(width: 2, height: 2, pixels: [0, 255, 128, 7], caption: Progress.format(float, digits: 2))
        return progress + [.plot(plot), .table(table), .images(ImageStrip(title: Progress.whole(edge), images: [image])), .text("\(edge)")]
    }

    @Test(arguments: edges)
    func everyValueRendersEverywhere(_ edge: Double) throws {
        let renderers = [TerminalRenderer(capabilities: TerminalCapabilities(isTerminal: true, color: true, width: 140)),
                         TerminalRenderer(capabilities: TerminalCapabilities(isTerminal: false, color: false))]
        for value in Self.values(around: edge) {
            for renderer in renderers {
                for timing in [true, false] {
                    let text = renderer.render(value, showsTimings: timing)
                    // A live progress update has no plain form (the terminal redraws it); the rest do.
                    if case .progress(let progress) = value, !progress.isEpochSummary { #expect(text.isEmpty) } else { #expect(!text.isEmpty) }
                }
                if case .progress(let progress) = value { #expect(renderer.progressLine(progress).contains("epoch 1/3")) }
            }
            if case .plot(let plot) = value { #expect(PNGEncoder.encode(Rasterizer.bitmap(of: plot)) != nil) }
            if case .images(let strip) = value { #expect(PNGEncoder.encode(Rasterizer.bitmap(of: strip)) != nil) }
        }
    }

    @Test func formattersNameTheSpecialValues() {
        #expect(Progress.format(.infinity, digits: 4) == "inf" && Progress.format(-.infinity, digits: 4) == "-inf")
        #expect(Progress.format(.nan, digits: 4) == "nan" && Progress.format(-.nan, digits: 4) == "nan")
        #expect(Progress.format(-0.0, digits: 1) == "0.0" && Progress.format(3.4e38, digits: 2) == "3.4e+38")
        #expect(Progress.whole(-0.0) == "0" && Progress.whole(9.3e18) == "9.3e+18" && Progress.whole(-.infinity) == "-inf")
    }
}
