import Builtins
import Diagnostics
import Display
import Language
import Testing

/// Numbers at the edges must not end the session: an exploding loss (lr 1e30) used to trap in
/// the progress line's conversion to an integer, and a plot of it in the axis arithmetic.
@Suite struct ExplodingValueTests {
    @Test func anExplodingLossStopsTrainingWithItsPlaceAndTheSessionGoesOn() throws {
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: 0)
        // On MNIST a linear model's loss with lr 1e30 stays finite (about 2e30): it used to run
        // on (and trap in the progress line); now it passes the exploded-loss bound and stops.
        let diagnostics = session.run(SourceFile(name: "t.tb", text: """
            model = sequential(flatten, linear(784, 10))
            h = train model on mnist epochs 1 batch 600 lr 1e30 optimizer sgd
            """))
        let message = diagnostics.first?.message ?? "no error"
        #expect(message.contains("past 1e+15 (no run that is learning gets there) at epoch 1, batch 2 of 100"), "\(message)")
        #expect(diagnostics.first?.hint?.contains("lower the learning rate (e.g. lr 1e+29)") == true, "\(diagnostics)")
        #expect(session.run(SourceFile(name: "t.tb", text: "evaluate model on mnist\nprint \"alive\"")).isEmpty)
        #expect(sink.plainText().contains("alive"))
    }

    @Test func hugeAndDegenerateValuesFormat() {
        #expect(Progress.format(2.3e30, digits: 4) == "2.3e+30")
        #expect(Progress.format(.infinity, digits: 2) == "inf")
        #expect(Progress.format(-0.0, digits: 2) == "0.00")
        #expect(Progress.format(-.nan, digits: 2) == "nan")
        #expect(Progress.whole(.infinity) == "inf" && Progress.whole(.nan) == "nan" && Progress.whole(1e300) == "1e+300")
        #expect(BrailleCanvas.label(.infinity) == "inf" && BrailleCanvas.label(-.infinity) == "-inf" && BrailleCanvas.label(.nan) == "nan")
        #expect(BrailleCanvas.label(2.55e30) == "2.55e+30")
        let plot = Plot(xLabel: "epoch", panels: [(yLabel: "loss", series: [Series(name: "train", points: [(1, 2.3e30)])])])
        #expect(BrailleCanvas.render(plot, color: false).contains("e+30"))
        #expect(AxisRange(1e30, 1e30).fraction(1e30) == 0.5)
        #expect(AxisRange(-1e308, 1e308).fraction(0).isFinite)
    }
}
