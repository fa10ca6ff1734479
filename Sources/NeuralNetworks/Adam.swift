import Foundation
import Kernels
import TensorEngine

/// Adam with PyTorch's defaults and formulas (`torch.optim.Adam`): bias-corrected first and
/// second moments, ε added outside the square root, optional L2 weight decay; with `decoupled`,
/// AdamW (`torch.optim.AdamW`): weights shrink by lr·decay before each step instead.
public final class Adam: Optimizer {
    public var learningRate: Float
    /// Kept in double precision, as PyTorch's Python floats: 1 − β₂ computed in float32 would be
    /// 0.00099998713 rather than 0.001 and v would drift from PyTorch's in the fifth digit.
    public let beta1: Double, beta2: Double
    public let epsilon: Float, weightDecay: Float
    /// AdamW's decoupled weight decay rather than Adam's L2 term in the gradient.
    public let decoupled: Bool
    public private(set) var stepCount = 0
    private var moments = ParameterStates<(m: Tensor, v: Tensor)>()

    /// Adam with the given hyper-parameters (PyTorch's defaults otherwise).
    public init(learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = false) {
        self.learningRate = learningRate
        (self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled)
    }

    public var kind: OptimizerKind { decoupled ? .adamw : .adam }
    public var momentumFactor: Float { 0 }
    public var summary: String { "\(decoupled ? "adamw" : "adam")(lr \(learningRate))" }

    public func update(_ parameters: [Tensor]) {
        stepCount += 1
        // Bias corrections in double precision, as PyTorch computes them in Python floats.
        let correction1 = 1 - Foundation.pow(beta1, Double(stepCount))
        let correction2 = 1 - Foundation.pow(beta2, Double(stepCount))
        let stepSize = Float(Double(learningRate) / correction1)
        let correction2Sqrt = Float(correction2.squareRoot())
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let (m, v) = moments.state(for: parameter) { (Tensor.zeros(parameter.shape), Tensor.zeros(parameter.shape)) }
            if decoupled && weightDecay != 0 {
                let shrink = 1 - learningRate * weightDecay
                parameter.updateScalars { w in for i in w.indices { w[i] *= shrink } }
            }
            parameter.updateScalars { w in
                gradient.withUnsafeScalars { g in
                    m.updateScalars { m in
                        v.updateScalars { v in
                            Optimization.adam(weights: w.baseAddress!, gradients: g.baseAddress!, firstMoment: m.baseAddress!,
                                              secondMoment: v.baseAddress!, count: w.count, oneMinusBeta1: Float(1 - beta1),
                                              beta2: Float(beta2), oneMinusBeta2: Float(1 - beta2),
                                              epsilon: epsilon, weightDecay: decoupled ? 0 : weightDecay, stepSize: stepSize,
                                              correction2Sqrt: correction2Sqrt)
                        }
                    }
                }
            }
        }
    }

    public func state(for parameter: Tensor) -> [String: Tensor] {
        moments.existing(for: parameter).map { ["m": $0.m, "v": $0.v] } ?? [:]
    }

    public func savedState(of parameters: [(name: String, tensor: Tensor)]) -> OptimizerState {
        var tensors: [String: [String: Tensor]] = [:]
        for (name, parameter) in parameters {
            if let (m, v) = moments.existing(for: parameter) { tensors[name] = ["exp_avg": m, "exp_avg_sq": v] }
        }
        return OptimizerState(stepCount: stepCount, tensors: tensors)
    }

    public func restore(_ saved: OptimizerState, for parameters: [(name: String, tensor: Tensor)]) throws(ModelError) {
        var restored = ParameterStates<(m: Tensor, v: Tensor)>()
        for parameter in parameters {
            guard let m = try saved.tensor("exp_avg", of: parameter), let v = try saved.tensor("exp_avg_sq", of: parameter) else { continue }
            restored.set((m, v), for: parameter.tensor)
        }
        (moments, stepCount) = (restored, saved.stepCount)
    }
}
