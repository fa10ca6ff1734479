/// The shape rules of every operation, as pure functions: the result shape, or a `TensorError`
/// naming both operands and the mismatching number. The engine and the language share them, and
/// `NeuralNetworks` uses them to infer a model's shapes before any data flows.
public enum ShapeRules {
    /// NumPy/PyTorch broadcasting: axes are aligned from the right; each pair must be equal or 1.
    public static func broadcast(_ a: Shape, _ b: Shape, operation: String) throws(TensorError) -> Shape {
        if a == b { return a }
        let rank = max(a.rank, b.rank)
        var result = Array(repeating: 0, count: rank)
        for offset in 1...max(rank, 1) where offset <= rank {
            let da = offset <= a.rank ? a[a.rank - offset] : 1
            let db = offset <= b.rank ? b[b.rank - offset] : 1
            guard da == db || da == 1 || db == 1 else {
                throw TensorError(
                    "\(operation): shapes \(a) and \(b) cannot be broadcast together (axis \(-offset): \(da) vs \(db))",
                    hint: "sizes must match, or one of them must be 1, counting axes from the right")
            }
            result[rank - offset] = da == 1 ? db : da
        }
        try MemoryBudget.check(result, for: operation)
        return Shape(result)
    }

    /// Strides that read `input` as if it had `output`'s shape (0 along broadcast axes).
    public static func broadcastStrides(_ input: Shape, to output: Shape) -> [Int] {
        let inputStrides = input.contiguousStrides
        let leading = output.rank - input.rank
        return (0..<output.rank).map { axis in
            axis < leading || input[axis - leading] == 1 ? 0 : inputStrides[axis - leading]
        }
    }

    /// An axis in [−rank, rank) as a non-negative index.
    public static func axis(_ axis: Int, rank: Int, operation: String) throws(TensorError) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0 && normalized < max(rank, 0) else {
            throw TensorError(
                "\(operation): axis \(axis) is out of range for a tensor of rank \(rank)",
                hint: rank == 0 ? "a scalar has no axes" : "axes go from \(-rank) to \(rank - 1)")
        }
        return normalized
    }

    /// Distinct normalised axes in increasing order (nil means all axes).
    public static func axes(_ axes: [Int]?, rank: Int, operation: String) throws(TensorError) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var result: [Int] = []
        for given in axes {
            let normalized = try axis(given, rank: rank, operation: operation)
            guard !result.contains(normalized) else {
                throw TensorError("\(operation): axis \(given) is repeated in \(axes)")
            }
            result.append(normalized)
        }
        return result.sorted()
    }

    /// The shape after reducing `axes`, kept as size 1 or removed.
    public static func reduced(_ shape: Shape, axes: [Int], keepingDimensions: Bool) -> Shape {
        var dimensions: [Int] = []
        for axis in 0..<shape.rank {
            if axes.contains(axis) {
                if keepingDimensions { dimensions.append(1) }
            } else {
                dimensions.append(shape[axis])
            }
        }
        return Shape(dimensions)
    }

    /// A reshape target, with at most one −1 inferred; the element count must not change.
    public static func reshape(_ shape: Shape, to target: [Int]) throws(TensorError) -> Shape {
        let inferred = target.indices.filter { target[$0] == -1 }
        guard inferred.count <= 1 else {
            throw TensorError("reshape: only one size can be -1, got \(Shape(target))")
        }
        if let bad = target.first(where: { $0 < -1 }) {
            throw TensorError("reshape: size \(bad) in \(Shape(target)) is negative")
        }
        var dimensions = target
        guard let knownBytes = MemoryBudget.byteCount(of: target.filter { $0 != -1 }) else {
            throw TensorError("reshape: the sizes \(Shape(target)) multiply to far more than the \(shape.elementCount) elements of \(shape)",
                              hint: "the number of elements must stay the same")
        }
        let known = knownBytes / 4
        if let index = inferred.first {
            guard known != 0, shape.elementCount % known == 0 else {
                throw TensorError("reshape: cannot reshape \(shape) (\(shape.elementCount) elements) into \(Shape(target))")
            }
            dimensions[index] = shape.elementCount / known
        }
        guard Shape(dimensions).elementCount == shape.elementCount else {
            throw TensorError(
                "reshape: cannot reshape \(shape) (\(shape.elementCount) elements) into \(Shape(dimensions)) (\(Shape(dimensions).elementCount) elements)",
                hint: "the number of elements must stay the same")
        }
        return Shape(dimensions)
    }

    /// Matrix product shapes: [..., M, K] · [..., K, N] → [..., M, N] with broadcast batch axes;
    /// a vector operand is treated as a row (left) or column (right) and its axis dropped.
    public static func matmul(
        _ a: Shape, _ b: Shape, transposingA: Bool = false, transposingB: Bool = false
    ) throws(TensorError) -> Shape {
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul: both operands need at least one axis, got shapes \(a) and \(b)",
                              hint: "use * to multiply by a scalar")
        }
        let am = a.rank == 1 ? [1, a[0]] : a.dimensions
        let bm = b.rank == 1 ? [b[0], 1] : b.dimensions
        let (m, k1) = transposingA ? (am[am.count - 1], am[am.count - 2]) : (am[am.count - 2], am[am.count - 1])
        let (k2, n) = transposingB ? (bm[bm.count - 1], bm[bm.count - 2]) : (bm[bm.count - 2], bm[bm.count - 1])
        guard k1 == k2 else {
            throw TensorError(
                "matmul: shapes \(a) and \(b) cannot be multiplied (\(k1) != \(k2))",
                hint: "the last size of the left operand must equal the \(b.rank == 1 ? "size" : "second-to-last size") of the right one")
        }
        let batch = try broadcast(Shape(Array(am.dropLast(2))), Shape(Array(bm.dropLast(2))), operation: "matmul (batch axes)")
        var result = batch.dimensions
        if a.rank > 1 { result.append(m) }
        if b.rank > 1 { result.append(n) }
        try MemoryBudget.check(result, for: "matmul")
        return Shape(result)
    }

    /// The output of concatenating along `axis`: all other sizes must agree.
    public static func concatenate(_ shapes: [Shape], axis: Int) throws(TensorError) -> Shape {
        guard let first = shapes.first else {
            throw TensorError("concatenate: needs at least one tensor")
        }
        let normalized = try self.axis(axis, rank: first.rank, operation: "concatenate")
        var total = 0
        for (index, shape) in shapes.enumerated() {
            guard shape.rank == first.rank else {
                throw TensorError("concatenate: tensor \(index) has rank \(shape.rank) (shape \(shape)), tensor 0 has rank \(first.rank) (shape \(first))")
            }
            for other in 0..<shape.rank where other != normalized && shape[other] != first[other] {
                throw TensorError(
                    "concatenate: tensor \(index) has shape \(shape), tensor 0 has shape \(first) (axis \(other): \(shape[other]) vs \(first[other]))",
                    hint: "all sizes except along axis \(normalized) must match")
            }
            total += shape[normalized]
        }
        var dimensions = first.dimensions
        dimensions[normalized] = total
        try MemoryBudget.check(dimensions, for: "concatenate")
        return Shape(dimensions)
    }

    /// Conv2d: input [N, C, H, W] and weight [O, C, kh, kw] → [N, O, outH, outW].
    public static func conv2d(
        input: Shape, weight: Shape, bias: Shape?, stride: Int, padding: Int
    ) throws(TensorError) -> Shape {
        guard input.rank == 4 else {
            throw TensorError("conv2d: input must have 4 axes [batch, channels, height, width], got shape \(input)",
                              hint: input.rank == 3 ? "add a batch axis, e.g. x.reshape([1, \(input[0]), \(input[1]), \(input[2])])" : nil)
        }
        guard weight.rank == 4 else {
            throw TensorError("conv2d: weight must have 4 axes [out, in, kh, kw], got shape \(weight)")
        }
        guard input[1] == weight[1] else {
            throw TensorError(
                "conv2d: weight \(weight) expects \(weight[1]) input channels, but the input \(input) has \(input[1])",
                hint: "the second size of the input must equal the layer's input channels")
        }
        if let bias, bias != [weight[0]] {
            throw TensorError("conv2d: bias has shape \(bias), expected [\(weight[0])]")
        }
        guard stride >= 1, padding >= 0 else {
            throw TensorError("conv2d: stride must be at least 1 and padding at least 0, got stride \(stride), padding \(padding)")
        }
        let outH = (input[2] + 2 * padding - weight[2]) / stride + 1
        let outW = (input[3] + 2 * padding - weight[3]) / stride + 1
        guard input[2] + 2 * padding >= weight[2], input[3] + 2 * padding >= weight[3], outH > 0, outW > 0 else {
            throw TensorError(
                "conv2d: a \(weight[2])x\(weight[3]) kernel does not fit a \(input[2])x\(input[3]) input with padding \(padding)",
                hint: "use a smaller kernel or more padding")
        }
        // The output, and the im2col workspace of one image ([C·kh·kw, outH·outW]).
        try MemoryBudget.check([input[0], weight[0], outH, outW], for: "conv2d")
        try MemoryBudget.check([weight[1], weight[2], weight[3], outH, outW], for: "conv2d (its unfolded input)")
        return [input[0], weight[0], outH, outW]
    }

    /// Max-pool 2-D: [N, C, H, W] → [N, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1].
    public static func maxPool2d(_ input: Shape, kernel: Int, stride: Int) throws(TensorError) -> Shape {
        guard input.rank == 4 else {
            throw TensorError("maxpool: input must have 4 axes [batch, channels, height, width], got shape \(input)")
        }
        guard kernel >= 1, stride >= 1 else {
            throw TensorError("maxpool: kernel and stride must be at least 1, got kernel \(kernel), stride \(stride)")
        }
        guard kernel <= input[2], kernel <= input[3] else {
            throw TensorError("maxpool: a \(kernel)x\(kernel) window does not fit a \(input[2])x\(input[3]) input",
                              hint: "use a smaller pooling size")
        }
        return [input[0], input[1], (input[2] - kernel) / stride + 1, (input[3] - kernel) / stride + 1]
    }
}

extension ShapeRules {
    /// LSTM: input [B, T, I], weights [4H, I] and [4H, H], biases [4H] → (B, T, H).
    public static func lstm(
        input: Shape, weightIH: Shape, weightHH: Shape, biasIH: Shape, biasHH: Shape
    ) throws(TensorError) -> (batch: Int, steps: Int, hidden: Int) {
        guard input.rank == 3 else {
            throw TensorError("lstm: input must have 3 axes [batch, steps, features], got shape \(input)")
        }
        guard weightHH.rank == 2, weightHH[0] == 4 * weightHH[1], weightHH[1] > 0 else {
            throw TensorError("lstm: hidden-to-hidden weight must have shape [4·hidden, hidden], got \(weightHH)")
        }
        let hidden = weightHH[1]
        guard weightIH == [4 * hidden, input[2]] else {
            throw TensorError(
                "lstm: input-to-hidden weight \(weightIH) expects \(weightIH.rank == 2 ? weightIH[1] : -1) input features, but the input \(input) has \(input[2])",
                hint: "the last size of the input must equal the layer's input size")
        }
        guard biasIH == [4 * hidden], biasHH == [4 * hidden] else {
            throw TensorError("lstm: biases must have shape [\(4 * hidden)], got \(biasIH) and \(biasHH)")
        }
        guard input[1] > 0 else {
            throw TensorError("lstm: the sequence is empty (shape \(input))", hint: "sequences need at least one step")
        }
        return (input[0], input[1], hidden)
    }
}
