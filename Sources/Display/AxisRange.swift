/// The span of one plot axis: the data's range, widened when it is a single value or too narrow
/// for Double to tell its ends apart (a loss of 1e30 ± 0.5 is still 1e30), so positions on it
/// are always finite.
public struct AxisRange: Sendable, Equatable {
    public let low: Double, high: Double

    /// The range from `low` to `high` (finite values), widened if it would be empty.
    public init(_ low: Double, _ high: Double) {
        let span = high - low
        if span.isFinite && span > Swift.max(abs(low), abs(high)) * 1e-9 {
            (self.low, self.high) = (low, high)
        } else {
            let pad = Swift.max(0.5, abs(low) * 0.1)
            (self.low, self.high) = span.isFinite ? (low - pad, low + pad) : (-Double.greatestFiniteMagnitude / 2, Double.greatestFiniteMagnitude / 2)
        }
    }

    /// How far `value` lies from low (0) to high (1), clamped to that interval.
    public func fraction(_ value: Double) -> Double {
        let result = (value - low) / (high - low)
        return result.isFinite ? Swift.min(Swift.max(result, 0), 1) : 0.5
    }
}

extension AxisRange {
    /// The x and y axes of one panel: the finite points' extent (x over `xCovers` at least),
    /// the y axis kept inside every series' limits, so an accuracy never reads 147 % and a loss
    /// never goes below 0. nil when no point is finite.
    public static func axes(for series: [Series], xCovers: ClosedRange<Double>?) -> (x: AxisRange, y: AxisRange)? {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let first = points.first else { return nil }
        var (xMin, xMax, yMin, yMax) = (first.x, first.x, first.y, first.y)
        for point in points {
            (xMin, xMax) = (Swift.min(xMin, point.x), Swift.max(xMax, point.x))
            (yMin, yMax) = (Swift.min(yMin, point.y), Swift.max(yMax, point.y))
        }
        if let xCovers { (xMin, xMax) = (Swift.min(xMin, xCovers.lowerBound), Swift.max(xMax, xCovers.upperBound)) }
        let padded = AxisRange(yMin, yMax)
        var (low, high) = (padded.low, padded.high)
        for limits in series.compactMap(\.limits) { (low, high) = (Swift.max(low, limits.lowerBound), Swift.min(high, limits.upperBound)) }
        let y = low < high && low <= yMin && high >= yMax ? AxisRange(low, high) : padded
        return (AxisRange(xMin, xMax), y)
    }
}
