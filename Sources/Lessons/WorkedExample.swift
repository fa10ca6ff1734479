import NeuralNetworks
import TensorEngine

/// Small examples whose every number comes from the engine itself.
enum WorkedExample {
    static func lines(for topic: Topic) throws -> [String] {
        switch topic {
        case .forward: return try forward()
        case .backward: return try backward()
        case .mse:
            return try lossExample("ŷ = [0.5, 2], y = [1, 1]", Tensor([0.5, 2]), Tensor([1, 1])) { try Loss.meanSquaredError($0, $1) }
                + ["(0.5 − 1)² = 0.25 and (2 − 1)² = 1, mean 0.625"]
        case .crossEntropy: return try crossEntropy()
        case .bce: return try binaryCrossEntropy()
        case .sgd: return try sgd()
        case .adam: return try adam()
        case .linear: return try linear()
        case .conv2d: return try convolution()
        case .maxpool: return try maxPool()
        case .relu: return try relu()
        case .softmax: return try softmax()
        case .embedding: return try embedding()
        case .lstm: return try lstm()
        case .attention: return try attention()
        case .layerNorm: return try layerNorm()
        case .gelu: return try gelu()
        case .gpt: return try gpt()
        }
    }

    private static func relu() throws -> [String] {
        let x = Tensor([-1, 0, 2])
        x.requiresGrad = true
        let y = x.relu()
        try y.sum().backward()
        return ["relu([-1, 0, 2]) = \(Number.list(y.scalars)); its derivative there: \(Number.list(x.grad!.scalars))"]
    }

    private static func softmax() throws -> [String] {
        let p = try Tensor([2, 1, 0.1]).softmax()
        let big = try Tensor([1000, 999]).softmax()
        return ["softmax([2, 1, 0.1]) = \(Number.list(p.scalars)), which sums to \(Number.text(p.scalars.reduce(0, +)))",
                "softmax([1000, 999]) = \(Number.list(big.scalars)) — e¹⁰⁰⁰ overflows, but e^(1000−1000) = 1 does not"]
    }

    private static func embedding() throws -> [String] {
        let table = try Tensor([[0, 0.1], [0.2, 0.3], [0.4, 0.5]])
        let rows = try table.embeddingLookup(Tensor([2, 0, 2]))
        return ["E = [[0, 0.1], [0.2, 0.3], [0.4, 0.5]], ids [2, 0, 2] → \(rows.scalars.chunks(2).map { Number.list($0) }.joined(separator: ", "))",
                "row 2 was used twice, so in backward it receives the sum of both gradients"]
    }

    private static func forward() throws -> [String] {
        let x = try Tensor([[1, 2]]), w = try Tensor([[0.5, -1], [2, 0]]), b = Tensor([0.1, 0])
        let z = try x.matmul(w, transposingOther: true) + b
        return ["x = [1, 2] → linear with W = [[0.5, -1], [2, 0]], b = [0.1, 0] → z = \(Number.list(z.scalars))",
                "→ relu → a = \(Number.list(z.relu().scalars)): the negative value became 0"]
    }

    private static func backward() throws -> [String] {
        let w = Tensor([0.5])
        w.requiresGrad = true
        let y = w * 2
        let loss = try (y - 3).squared().sum()
        try loss.backward()
        return ["y = w·x with x = 2, w = 0.5, target t = 3: y = \(Number.text(y.scalars[0])), L = (y − t)² = \(Number.text(try loss.item()))",
                "chain rule: ∂L/∂w = ∂L/∂y · ∂y/∂w = 2(y − t) · x = 2(1 − 3) · 2 = −8; backward() gives \(Number.text(w.grad!.scalars[0]))"]
    }

    private static func lossExample(_ setup: String, _ prediction: Tensor, _ target: Tensor,
                                    _ loss: (Tensor, Tensor) throws -> Tensor) throws -> [String] {
        prediction.requiresGrad = true
        let value = try loss(prediction, target)
        try value.backward()
        return ["\(setup): L = \(Number.text(try value.item())), ∂L/∂ŷ = \(Number.list(prediction.grad!.scalars))"]
    }

    private static func crossEntropy() throws -> [String] {
        let z = try Tensor([[2, 1, 0.1]])
        z.requiresGrad = true
        let loss = try z.crossEntropy(targets: Tensor([0]))
        try loss.backward()
        let p = try z.detached().softmax().scalars
        return ["scores z = [2, 1, 0.1], true class 0: p = softmax(z) = \(Number.list(p))",
                "L = −log p₀ = −log \(Number.text(p[0])) = \(Number.text(try loss.item())); ∂L/∂z = p − [1, 0, 0] = \(Number.list(z.grad!.scalars))"]
    }

    private static func binaryCrossEntropy() throws -> [String] {
        try lossExample("logits z = [0.3, -2], labels y = [1, 0]", Tensor([0.3, -2]), Tensor([1, 0])) {
            try Loss.binaryCrossEntropyWithLogits($0, $1)
        } + ["σ(0.3) = \(Number.text(Tensor([0.3]).sigmoid().scalars[0])) is the predicted chance of 1; the gradient is (σ(z) − y)/2"]
    }

    private static func sgd() throws -> [String] {
        let w = Tensor([0.5])
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9)
        var lines: [String] = []
        for step in 1...2 {
            w.requiresGrad = true
            w.zeroGrad()
            try (w * 0.2).sum().backward()
            let before = w.scalars[0]
            GradientMode.withoutRecording { optimizer.update([w]) }
            let velocity = optimizer.state(for: w)["momentum"]!.scalars[0]
            lines.append("step \(step): g = 0.2, v = \(Number.text(velocity)), w = \(Number.text(before)) − 0.1 · \(Number.text(velocity)) = \(Number.text(w.scalars[0]))")
        }
        return lines + ["with momentum the second step is larger: v remembers the previous gradient"]
    }

    private static func adam() throws -> [String] {
        let w = Tensor([0.5])
        w.requiresGrad = true
        try (w * 0.2).sum().backward()
        let optimizer = Adam(learningRate: 0.001)
        GradientMode.withoutRecording { optimizer.update([w]) }
        let state = optimizer.state(for: w)
        let (m, v) = (state["m"]!.scalars[0], state["v"]!.scalars[0])
        return ["g = 0.2 on the first step (t = 1), η = 0.001:",
                "m = 0.9·0 + 0.1·0.2 = \(Number.text(m))      v = 0.999·0 + 0.001·0.2² = \(Number.text(v))",
                "m̂ = m / (1 − 0.9) = \(Number.text(m / 0.1))      v̂ = v / (1 − 0.999) = \(Number.text(v / 0.001))",
                "Δw = −0.001 · \(Number.text(m / 0.1)) / (√\(Number.text(v / 0.001)) + 10⁻⁸) = \(Number.text(w.scalars[0] - 0.5)): w 0.5 → \(Number.text(w.scalars[0]))",
                "on its first step Adam moves every weight by about η, whatever the size of its gradient"]
    }

    private static func linear() throws -> [String] {
        let x = try Tensor([[1, 2]]), w = try Tensor([[0.5, -1], [2, 0]]), b = Tensor([0.1, 0])
        let y = try x.matmul(w, transposingOther: true) + b
        return ["x = [1, 2], W = [[0.5, -1], [2, 0]], b = [0.1, 0]",
                "y₀ = 0.5·1 + (−1)·2 + 0.1 = \(Number.text(y.scalars[0]))      y₁ = 2·1 + 0·2 + 0 = \(Number.text(y.scalars[1]))"]
    }

    private static func convolution() throws -> [String] {
        let x = try Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 0, 0, 1, 3, 2, 1, 0])
        let w = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, -1])
        let y = try x.conv2d(weight: w)
        return ["x = [[1, 2, 0], [0, 1, 3], [2, 1, 0]], one 2×2 filter [[1, 0], [0, -1]], stride 1, no padding",
                "y = \(y.scalars.chunks(2).map { Number.list($0) }.joined(separator: ", ")): e.g. top-left 1·1 + 0·2 + 0·0 + (−1)·1 = 0",
                "output size ⌊(3 + 0 − 2)/1⌋ + 1 = 2 along each side"]
    }

    private static func maxPool() throws -> [String] {
        let x = try Tensor.arange(0, 16).reshaped([1, 1, 4, 4])
        let y = try x.maxPool2d(kernel: 2)
        return ["x = the 4×4 grid 0 … 15 (row by row), 2×2 windows → \(y.scalars.chunks(2).map { Number.list($0) }.joined(separator: ", "))",
                "each output is the bottom-right of its window; only those four positions get a gradient"]
    }

    private static func lstm() throws -> [String] {
        let x = try Tensor(shape: [1, 1, 1], scalars: [1])
        let weightIH = try Tensor(shape: [4, 1], scalars: [0.5, 0.5, 1, 0.5])
        let (outputs, cell) = try Tensor.lstm(input: x, weightIH: weightIH, weightHH: Tensor.zeros([4, 1]),
                                              biasIH: Tensor.zeros([4]), biasHH: Tensor.zeros([4]))
        let sigmoid = Tensor([0.5]).sigmoid().scalars[0], g = Tensor([1]).tanh().scalars[0]
        return ["one unit, x₁ = 1, h₀ = c₀ = 0, input weights (i, f, g, o) = (0.5, 0.5, 1, 0.5), no bias:",
                "i = f = o = σ(0.5) = \(Number.text(sigmoid)),  g = tanh(1) = \(Number.text(g))",
                "c₁ = f·0 + i·g = \(Number.text(cell.scalars[0])),  h₁ = o·tanh(c₁) = \(Number.text(outputs.scalars[0]))"]
    }
}

extension Array {
    /// Consecutive groups of `size` elements.
    func chunks(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
