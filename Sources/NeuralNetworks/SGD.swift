import Kernels
import TensorEngine

/// Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay,
/// with PyTorch's formulas (`torch.optim.SGD`).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, dampening: Float, weightDecay: Float, nesterov: Bool
    public private(set) var stepCount = 0
    private var buffers = ParameterStates<Tensor>()
    private var started = Set<ObjectIdentifier>()

    /// SGD with the given hyper-parameters.
    public init(learningRate: Float, momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        (self.momentum, self.dampening, self.weightDecay, self.nesterov) = (momentum, dampening, weightDecay, nesterov)
    }

    public var kind: OptimizerKind { .sgd }
    public var momentumFactor: Float { momentum }
    public var summary: String { momentum == 0 ? "sgd(lr \(learningRate))" : "sgd(lr \(learningRate), momentum \(momentum))" }

    public func update(_ parameters: [Tensor]) {
        stepCount += 1
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let buffer = momentum == 0 ? nil : buffers.state(for: parameter) { Tensor.zeros(parameter.shape) }
            let isFirstStep = started.insert(ObjectIdentifier(parameter)).inserted
            parameter.updateScalars { w in
                gradient.withUnsafeScalars { g in
                    func apply(_ b: UnsafeMutablePointer<Float>?) {
                        Optimization.sgd(weights: w.baseAddress!, gradients: g.baseAddress!, momentumBuffer: b,
                                         isFirstStep: isFirstStep, count: w.count, learningRate: learningRate,
                                         momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
                    }
                    if let buffer { buffer.updateScalars { apply($0.baseAddress!) } } else { apply(nil) }
                }
            }
        }
    }

    public func state(for parameter: Tensor) -> [String: Tensor] {
        buffers.existing(for: parameter).map { ["momentum": $0] } ?? [:]
    }

    public func savedState(of parameters: [(name: String, tensor: Tensor)]) -> OptimizerState {
        var tensors: [String: [String: Tensor]] = [:]
        for (name, parameter) in parameters {
            if let buffer = buffers.existing(for: parameter) { tensors[name] = ["momentum_buffer": buffer] }
        }
        return OptimizerState(stepCount: stepCount, tensors: tensors)
    }

    public func restore(_ saved: OptimizerState, for parameters: [(name: String, tensor: Tensor)]) throws(ModelError) {
        var restored = ParameterStates<Tensor>()
        var restoredStarts = Set<ObjectIdentifier>()
        for parameter in parameters {
            // Without momentum there is no state, and the first step is like any other.
            if momentum == 0 { restoredStarts.insert(ObjectIdentifier(parameter.tensor)); continue }
            guard let buffer = try saved.tensor("momentum_buffer", of: parameter) else { continue }
            restored.set(buffer, for: parameter.tensor)
            restoredStarts.insert(ObjectIdentifier(parameter.tensor))
        }
        (buffers, started, stepCount) = (restored, restoredStarts, saved.stepCount)
    }
}
