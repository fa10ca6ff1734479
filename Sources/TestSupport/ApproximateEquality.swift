/// Where two float sequences differ by more than the tolerance, described for a test failure;
/// nil when they agree everywhere (|a − b| ≤ absolute + relative·|b|) and have equal length.
public func mismatch(
    _ actual: [Float], _ expected: [Float], absoluteTolerance: Float = 1e-5, relativeTolerance: Float = 1e-5
) -> String? {
    guard actual.count == expected.count else {
        return "length \(actual.count) vs expected \(expected.count)"
    }
    for i in actual.indices {
        let (a, e) = (actual[i], expected[i])
        if a.isNaN != e.isNaN || abs(a - e) > absoluteTolerance + relativeTolerance * abs(e) {
            return "element \(i): \(a) vs expected \(e) (difference \(abs(a - e)))"
        }
    }
    return nil
}

/// Whether two numbers agree within |a − b| ≤ absolute + relative·|b|.
public func isApproximatelyEqual(
    _ actual: Float, _ expected: Float, absoluteTolerance: Float = 1e-5, relativeTolerance: Float = 1e-5
) -> Bool {
    abs(actual - expected) <= absoluteTolerance + relativeTolerance * abs(expected)
}
