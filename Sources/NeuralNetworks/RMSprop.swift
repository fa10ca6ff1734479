import TensorEngine

/// RMSprop with PyTorch's formulas and defaults (`torch.optim.RMSprop`: alpha 0.99, eps 1e-8, no
/// momentum, not centred): v ← α·v + (1 − α)·g², w ← w − lr · g / (√v + ε).
public final class RMSprop: Optimizer {
    public var learningRate: Float
    public let alpha: Float, epsilon: Float
    public private(set) var stepCount = 0
    private var squareAverages = ParameterStates<Tensor>()

    /// RMSprop with the given hyper-parameters.
    public init(learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-8) {
        (self.learningRate, self.alpha, self.epsilon) = (learningRate, alpha, epsilon)
    }

    public var kind: OptimizerKind { .rmsprop }
    public var momentumFactor: Float { 0 }
    public var summary: String { "rmsprop(lr \(learningRate))" }

    public func update(_ parameters: [Tensor]) {
        stepCount += 1
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let average = squareAverages.state(for: parameter) { Tensor.zeros(parameter.shape) }
            parameter.updateScalars { w in
                gradient.withUnsafeScalars { g in
                    average.updateScalars { v in
                        for i in 0..<w.count {
                            v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i]
                            w[i] -= learningRate * g[i] / (v[i].squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }

    public func state(for parameter: Tensor) -> [String: Tensor] {
        squareAverages.existing(for: parameter).map { ["square_avg": $0] } ?? [:]
    }

    public func savedState(of parameters: [(name: String, tensor: Tensor)]) -> OptimizerState {
        var tensors: [String: [String: Tensor]] = [:]
        for (name, parameter) in parameters {
            if let average = squareAverages.existing(for: parameter) { tensors[name] = ["square_avg": average] }
        }
        return OptimizerState(stepCount: stepCount, tensors: tensors)
    }

    public func restore(_ saved: OptimizerState, for parameters: [(name: String, tensor: Tensor)]) throws(ModelError) {
        var restored = ParameterStates<Tensor>()
        for parameter in parameters {
            if let average = try saved.tensor("square_avg", of: parameter) { restored.set(average, for: parameter.tensor) }
        }
        (squareAverages, stepCount) = (restored, saved.stepCount)
    }
}
