import TensorEngine

/// Updates parameters from their gradients. Each optimizer keeps per-parameter state (created on
/// a parameter's first update) and applies one update per step (the mlx-swift template).
public protocol Optimizer: AnyObject {
    /// The step size.
    var learningRate: Float { get set }
    /// Which of the language's optimizers this is.
    var kind: OptimizerKind { get }
    /// SGD's momentum; 0 for optimizers without one.
    var momentumFactor: Float { get }
    /// Updates completed so far.
    var stepCount: Int { get }
    /// A short name for messages and summaries, e.g. "adam(lr 0.001)".
    var summary: String { get }
    /// Applies one update to every parameter that has a gradient (gradients are left as they are).
    func update(_ parameters: [Tensor])
    /// The state kept for a parameter, by name ("m", "v", "momentum"), for teaching; nil before its first update.
    func state(for parameter: Tensor) -> [String: Tensor]
    /// What a checkpoint needs to continue exactly: the step count and each parameter's state
    /// under PyTorch's names, keyed by the model's parameter names.
    func savedState(of parameters: [(name: String, tensor: Tensor)]) -> OptimizerState
    /// Continues from a checkpoint of the same kind of optimizer for these parameters.
    func restore(_ saved: OptimizerState, for parameters: [(name: String, tensor: Tensor)]) throws(ModelError)
}

/// An optimizer's state in a checkpoint: the updates done and, by parameter name, the tensors it
/// keeps under `torch.optim`'s names (`exp_avg` and `exp_avg_sq` for Adam, `momentum_buffer` for SGD).
public struct OptimizerState {
    /// Updates completed before the checkpoint.
    public var stepCount: Int
    /// Parameter name → state name → tensor.
    public var tensors: [String: [String: Tensor]]

    /// A state.
    public init(stepCount: Int, tensors: [String: [String: Tensor]]) {
        self.stepCount = stepCount
        self.tensors = tensors
    }

    /// The checkpointed tensor `name` of `parameter`, checked against the parameter's shape; nil
    /// when the checkpoint holds no state for it (it had no gradient yet).
    func tensor(_ name: String, of parameter: (name: String, tensor: Tensor)) throws(ModelError) -> Tensor? {
        guard let states = tensors[parameter.name] else { return nil }
        guard let saved = states[name] else {
            throw ModelError("the optimizer state of '\(parameter.name)' has no '\(name)'",
                             hint: "the file was saved from another kind of optimizer")
        }
        guard saved.shape == parameter.tensor.shape else {
            throw ModelError("the optimizer's '\(name)' of '\(parameter.name)' has shape \(saved.shape); the parameter has \(parameter.tensor.shape)",
                             hint: "the file was saved for another architecture")
        }
        return saved.copy()
    }
}

/// The kinds of optimizer the language can name.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case adam
    case adamw
    case sgd
    case rmsprop

    /// A fresh optimizer of this kind.
    public func make(learningRate: Float, momentum: Float = 0) -> any Optimizer {
        switch self {
        case .adam: Adam(learningRate: learningRate)
        case .adamw: Adam(learningRate: learningRate, weightDecay: 0.01, decoupled: true)
        case .sgd: SGD(learningRate: learningRate, momentum: momentum)
        case .rmsprop: RMSprop(learningRate: learningRate)
        }
    }
}

/// Per-parameter state keyed by the parameter's identity (parameters are long-lived objects).
struct ParameterStates<State> {
    private var states: [ObjectIdentifier: State] = [:]

    /// The state of `parameter`, created by `make` on first use.
    mutating func state(for parameter: Tensor, make: () -> State) -> State {
        if let existing = states[ObjectIdentifier(parameter)] { return existing }
        let fresh = make()
        states[ObjectIdentifier(parameter)] = fresh
        return fresh
    }

    /// The state of `parameter` if it exists.
    func existing(for parameter: Tensor) -> State? { states[ObjectIdentifier(parameter)] }

    /// Sets the state of `parameter` (restoring a checkpoint).
    mutating func set(_ state: State, for parameter: Tensor) { states[ObjectIdentifier(parameter)] = state }
}
