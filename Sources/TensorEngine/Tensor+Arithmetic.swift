import Kernels

extension Tensor {
    /// Applies a broadcasting binary kernel (no recording).
    func broadcasting<F: BinaryFunction>(_ function: F.Type, _ other: Tensor, _ operation: String) throws(TensorError) -> Tensor {
        if shape == other.shape {
            let result = Tensor(uninitialized: shape)
            Elementwise.map(F.self, pointer, other.pointer, result.pointer, count: elementCount)
            return result
        }
        let outputShape = try ShapeRules.broadcast(shape, other.shape, operation: operation)
        let result = Tensor(uninitialized: outputShape)
        if result.elementCount > 0 {
            let layout = StridedLayout(
                shape: outputShape.dimensions,
                strides: [outputShape.contiguousStrides, ShapeRules.broadcastStrides(shape, to: outputShape),
                          ShapeRules.broadcastStrides(other.shape, to: outputShape)])
            Elementwise.map(F.self, pointer, other.pointer, result.pointer, layout: layout)
        }
        return result
    }

    /// Sums a broadcast gradient back down to `target` (the adjoint of broadcasting).
    func summed(toShape target: Shape) throws(TensorError) -> Tensor {
        if shape == target { return self }
        let leading = rank - target.rank
        var axes = Array(0..<leading)
        for axis in 0..<target.rank where target[axis] == 1 && shape[axis + leading] != 1 {
            axes.append(axis + leading)
        }
        return try sum(axes: axes, keepingDimensions: true).reshaped(target.dimensions)
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws(TensorError) -> Tensor {
        let result = try a.broadcasting(Add.self, b, "add")
        if shouldRecord(a, b) {
            let (aShape, bShape) = (a.shape, b.shape)
            result.record("add", inputs: [a, b]) { g in [try g.summed(toShape: aShape), try g.summed(toShape: bShape)] }
        }
        return result
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws(TensorError) -> Tensor {
        let result = try a.broadcasting(Subtract.self, b, "subtract")
        if shouldRecord(a, b) {
            let (aShape, bShape) = (a.shape, b.shape)
            result.record("subtract", inputs: [a, b]) { g in [try g.summed(toShape: aShape), try (-g).summed(toShape: bShape)] }
        }
        return result
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws(TensorError) -> Tensor {
        let result = try a.broadcasting(Multiply.self, b, "multiply")
        if shouldRecord(a, b) {
            let (aValue, bValue) = (a.detached(), b.detached())
            let (needsA, needsB) = (a.requiresGrad, b.requiresGrad)
            result.record("multiply", inputs: [a, b], saving: [needsB ? aValue : nil, needsA ? bValue : nil]) { g in
                [needsA ? try (g * bValue).summed(toShape: aValue.shape) : nil,
                 needsB ? try (g * aValue).summed(toShape: bValue.shape) : nil]
            }
        }
        return result
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws(TensorError) -> Tensor {
        let result = try a.broadcasting(Divide.self, b, "divide")
        if shouldRecord(a, b) {
            let (bValue, quotient) = (b.detached(), result.detached())
            let (aShape, needsA, needsB) = (a.shape, a.requiresGrad, b.requiresGrad)
            result.record("divide", inputs: [a, b], saving: [bValue, needsB ? quotient : nil]) { g in
                [needsA ? try (g / bValue).summed(toShape: aShape) : nil,
                 needsB ? try (-(g * quotient) / bValue).summed(toShape: bValue.shape) : nil]
            }
        }
        return result
    }

    /// Elementwise power aᵇ with broadcasting.
    public func pow(_ exponent: Tensor) throws(TensorError) -> Tensor {
        // As PyTorch: x ** 2 and x ** 3 by multiplication (a powf per element is 30× slower).
        if exponent.elementCount == 1, exponent.rank == 0, !exponent.requiresGrad {
            switch exponent.pointer[0] {
            case 1: return self * 1
            case 2: return try self * self
            case 3: return try self * self * self
            default: break
            }
        }
        let result = try broadcasting(Power.self, exponent, "pow")
        if Tensor.shouldRecord(self, exponent) {
            let (base, power, value) = (detached(), exponent.detached(), result.detached())
            let (needsBase, needsExponent) = (requiresGrad, exponent.requiresGrad)
            result.record("pow", inputs: [self, exponent], saving: [base, power, needsExponent ? value : nil]) { g in
                // As PyTorch: an exponent of 0 passes no gradient to the base (not 0 · 0⁻¹ = NaN).
                [needsBase ? try Tensor.selecting(power, g * power * base.pow(power - 1), Tensor(0)).summed(toShape: base.shape) : nil,
                 needsExponent ? try (g * value * base.log()).summed(toShape: power.shape) : nil]
            }
        }
        return result
    }

    /// Elementwise maximum with broadcasting; on ties the gradient is split evenly (as PyTorch).
    public func maximum(_ other: Tensor) throws(TensorError) -> Tensor {
        try extremum(Maximum.self, other, "maximum", winner: Greater.self)
    }

    /// Elementwise minimum with broadcasting; on ties the gradient is split evenly (as PyTorch).
    public func minimum(_ other: Tensor) throws(TensorError) -> Tensor {
        try extremum(Minimum.self, other, "minimum", winner: Less.self)
    }

    private func extremum<F: BinaryFunction, W: BinaryFunction>(
        _ function: F.Type, _ other: Tensor, _ name: String, winner: W.Type
    ) throws(TensorError) -> Tensor {
        let result = try broadcasting(F.self, other, name)
        if Tensor.shouldRecord(self, other) {
            let (a, b) = (detached(), other.detached())
            result.record(name, inputs: [self, other], saving: [a, b]) { g in
                let tie = try a.broadcasting(Equal.self, b, name) * 0.5
                let aShare = try a.broadcasting(W.self, b, name) + tie
                let bShare = try b.broadcasting(W.self, a, name) + tie
                return [try (g * aShare).summed(toShape: a.shape), try (g * bShare).summed(toShape: b.shape)]
            }
        }
        return result
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        x.affine(scale: -1, shift: 0, "negate")
    }

    /// x · scale + shift, one pass; the building block of every tensor–number operator.
    func affine(scale: Float, shift: Float, _ name: String) -> Tensor {
        let result = Tensor(uninitialized: shape)
        Elementwise.affine(pointer, scale: scale, shift: shift, result.pointer, count: elementCount)
        if Tensor.shouldRecord(self) {
            result.record(name, inputs: [self]) { g in [g.affine(scale: scale, shift: 0, "scale")] }
        }
        return result
    }

    /// Adds a number to every element.
    public static func + (x: Tensor, value: Float) -> Tensor { x.affine(scale: 1, shift: value, "add") }
    /// Adds a number to every element.
    public static func + (value: Float, x: Tensor) -> Tensor { x.affine(scale: 1, shift: value, "add") }
    /// Subtracts a number from every element.
    public static func - (x: Tensor, value: Float) -> Tensor { x.affine(scale: 1, shift: -value, "subtract") }
    /// Subtracts every element from a number.
    public static func - (value: Float, x: Tensor) -> Tensor { x.affine(scale: -1, shift: value, "subtract") }
    /// Multiplies every element by a number.
    public static func * (x: Tensor, value: Float) -> Tensor { x.affine(scale: value, shift: 0, "multiply") }
    /// Multiplies every element by a number.
    public static func * (value: Float, x: Tensor) -> Tensor { x.affine(scale: value, shift: 0, "multiply") }
    /// Divides every element by a number.
    public static func / (x: Tensor, value: Float) -> Tensor { x.affine(scale: 1 / value, shift: 0, "divide") }
    /// Divides a number by every element.
    public static func / (value: Float, x: Tensor) throws(TensorError) -> Tensor { try Tensor(value) / x }
}

extension Tensor {
    /// 1 where the elements are equal, else 0 (not differentiable).
    public func equal(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(Equal.self, other, "==") }
    /// 1 where the elements differ, else 0.
    public func notEqual(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(NotEqual.self, other, "!=") }
    /// 1 where self < other, else 0.
    public func less(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(Less.self, other, "<") }
    /// 1 where self <= other, else 0.
    public func lessOrEqual(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(LessOrEqual.self, other, "<=") }
    /// 1 where self > other, else 0.
    public func greater(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(Greater.self, other, ">") }
    /// 1 where self >= other, else 0.
    public func greaterOrEqual(_ other: Tensor) throws(TensorError) -> Tensor { try broadcasting(GreaterOrEqual.self, other, ">=") }
}
