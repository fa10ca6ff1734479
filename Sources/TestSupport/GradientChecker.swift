import TensorEngine

/// The outcome of comparing backpropagated gradients with central differences.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    /// Largest |analytic − numeric| − tolerance bound over all elements (≤ 0 means every element passed).
    public var worstExcess: Float = -.infinity
    /// Where the worst element was: input index, element index, analytic and numeric values.
    public var worst: (input: Int, element: Int, analytic: Float, numeric: Float)?
    /// Number of elements compared.
    public var checkedElements = 0

    /// Whether every element agreed within tolerance.
    public var passed: Bool { worstExcess <= 0 }

    /// A one-line summary naming the worst element.
    public var description: String {
        guard let worst else { return "no elements checked" }
        return "\(passed ? "passed" : "FAILED"): \(checkedElements) elements; worst input \(worst.input) element \(worst.element): analytic \(worst.analytic), numeric \(worst.numeric)"
    }
}

/// Checks the gradients of `function` at `inputs` against central differences
/// (f(x + ε) − f(x − ε)) / 2ε of the scalar objective Σ f(inputs) · w, where w is a fixed
/// pseudo-random weighting so that every output element matters.
/// The inputs' values are restored afterwards; their `requiresGrad` is set.
public func checkGradients(
    of function: ([Tensor]) throws -> Tensor, at inputs: [Tensor],
    epsilon: Float = 1e-2, absoluteTolerance: Float = 1e-3, relativeTolerance: Float = 1e-2
) throws -> GradientCheckReport {
    for input in inputs {
        input.requiresGrad = true
        input.zeroGrad()
    }
    let probe = try function(inputs)
    var generator = RandomGenerator(seed: 1234)
    let weights = try Tensor.rand(probe.shape, low: 0.5, high: 1.5, generator: &generator)
    func objective() throws -> Double {
        try GradientMode.withoutRecording {
            Double(try (function(inputs) * weights).sum().item())
        }
    }
    try (probe * weights).sum().backward()
    var report = GradientCheckReport()
    for (inputIndex, input) in inputs.enumerated() {
        let analytic = input.grad?.scalars ?? Array(repeating: 0, count: input.elementCount)
        for element in 0..<input.elementCount {
            let original = input.scalars[element]
            input.updateScalars { $0[element] = original + epsilon }
            let plus = try objective()
            input.updateScalars { $0[element] = original - epsilon }
            let minus = try objective()
            input.updateScalars { $0[element] = original }
            let numeric = Float((plus - minus) / (2 * Double(epsilon)))
            let excess = abs(analytic[element] - numeric) - (absoluteTolerance + relativeTolerance * abs(numeric))
            report.checkedElements += 1
            if excess > report.worstExcess {
                report.worstExcess = excess
                report.worst = (inputIndex, element, analytic[element], numeric)
            }
        }
    }
    return report
}
