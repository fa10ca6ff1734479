/// Where the interpreter sends what it shows: a terminal, a notebook recorder, a test.
public protocol DisplaySink: AnyObject, Sendable {
    /// Shows one value.
    func emit(_ value: DisplayValue)
    /// Shows the value of an expression statement: the cell's result (Jupyter's `execute_result`,
    /// `Out[n]`) rather than something it displayed. Sinks that make no difference just emit it.
    func emitResult(_ value: DisplayValue)
}

extension DisplaySink {
    /// A result is shown like anything else.
    public func emitResult(_ value: DisplayValue) { emit(value) }
}

/// A sink that keeps everything it is given, in order (tests, notebooks).
public final class CollectingSink: DisplaySink, @unchecked Sendable {
    /// Everything emitted so far.
    public private(set) var values: [DisplayValue] = []

    /// An empty collector.
    public init() {}

    public func emit(_ value: DisplayValue) {
        values.append(value)
    }

    /// Forgets what was collected.
    public func removeAll() {
        values = []
    }

    /// The collected values as plain text, one per line, live progress left out.
    public func plainText(showsTimings: Bool = false) -> String {
        values.mergingStreams().map { $0.plainText(showsTimings: showsTimings) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
