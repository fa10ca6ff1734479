import TensorEngine

/// Updates parameters from their gradients. Each optimizer keeps per-parameter state (created on
/// a parameter's first update) and applies one update per step (the mlx-swift template).
public protocol Optimizer: AnyObject {
    /// The step size.
    var learningRate: Float { get set }
    /// Updates completed so far.
    var stepCount: Int { get }
    /// A short name for messages and summaries, e.g. "adam(lr 0.001)".
    var summary: String { get }
    /// Applies one update to every parameter that has a gradient (gradients are left as they are).
    func update(_ parameters: [Tensor])
    /// The state kept for a parameter, by name ("m", "v", "momentum"), for teaching; nil before its first update.
    func state(for parameter: Tensor) -> [String: Tensor]
}

/// The kinds of optimizer the language can name.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case adam
    case adamw
    case sgd

    /// A fresh optimizer of this kind.
    public func make(learningRate: Float, momentum: Float = 0) -> any Optimizer {
        switch self {
        case .adam: Adam(learningRate: learningRate)
        case .adamw: Adam(learningRate: learningRate, weightDecay: 0.01, decoupled: true)
        case .sgd: SGD(learningRate: learningRate, momentum: momentum)
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
}
