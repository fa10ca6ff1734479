import TensorEngine

/// A one-layer, batch-first LSTM (`torch.nn.LSTM(input, hidden, batch_first=True)`):
/// [steps, input] → [steps, hidden], every step's hidden state; gate order i, f, g, o.
public final class LSTM: Layer {
    public let inputSize: Int
    public let hiddenSize: Int
    /// [4·hidden, input]
    public let weightIH: Tensor
    /// [4·hidden, hidden]
    public let weightHH: Tensor
    /// [4·hidden]
    public let biasIH: Tensor
    /// [4·hidden]
    public let biasHH: Tensor
    public var isTraining = true

    /// An LSTM with PyTorch's default initialisation: every tensor U(−1/√hidden, 1/√hidden).
    public init(inputSize: Int, hiddenSize: Int) throws(ModelError) {
        try Initialization.requirePositive(inputSize, "input size", of: "lstm")
        try Initialization.requirePositive(hiddenSize, "hidden size", of: "lstm")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        weightIH = try Initialization.uniform([4 * hiddenSize, inputSize], fanIn: hiddenSize)
        weightHH = try Initialization.uniform([4 * hiddenSize, hiddenSize], fanIn: hiddenSize)
        biasIH = try Initialization.uniform([4 * hiddenSize], fanIn: hiddenSize)
        biasHH = try Initialization.uniform([4 * hiddenSize], fanIn: hiddenSize)
    }

    public var kind: String { "lstm" }
    public var specification: LayerSpecification { .lstm(inputSize: inputSize, hiddenSize: hiddenSize) }
    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Every step's hidden state, [batch, steps, hidden].
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try run(input).outputs
    }

    /// Every step's hidden state plus the last hidden and cell states (PyTorch's `output, (h_n, c_n)`).
    public func run(_ input: Tensor) throws -> (outputs: Tensor, lastHidden: Tensor, lastCell: Tensor) {
        let (outputs, lastCell) = try Tensor.lstm(input: input, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH)
        return (outputs, try outputs.select(axis: 1, index: -1), lastCell)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 2 else {
            throw ModelError("\(self) expects a sequence [steps, features], but receives shape \(input.compactDescription)",
                             hint: "put an embedding before it, or give it sequences")
        }
        guard input[1] == inputSize else {
            throw ModelError("\(self) expects \(inputSize) input features per step, but receives \(input[1])",
                             hint: "make it lstm(\(input[1]), \(hiddenSize))")
        }
        return [input[0], hiddenSize]
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        let steps = input.rank == 2 ? input[0] : 0
        return steps * (2 * 4 * hiddenSize * (inputSize + hiddenSize) + 10 * hiddenSize)
    }
}
