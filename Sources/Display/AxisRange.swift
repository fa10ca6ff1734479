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
