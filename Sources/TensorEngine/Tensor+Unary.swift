import Kernels

extension Tensor {
    /// Applies a unary kernel (no recording).
    func mapped<F: UnaryFunction>(_ function: F.Type) -> Tensor {
        let result = Tensor(uninitialized: shape)
        Elementwise.map(F.self, pointer, result.pointer, count: elementCount)
        return result
    }

    /// A unary operation whose gradient is `G(saved, g)` elementwise, where `saved` is the input
    /// (`fromOutput: false`) or the output (`fromOutput: true`).
    // NOTE: these fused gradient kernels (one pass instead of two or three composed ops) exist for
    // speed; each is still gradchecked like every composed operation.
    func unary<F: UnaryFunction, G: BinaryFunction>(
        _ function: F.Type, _ name: String, gradient: G.Type, fromOutput: Bool
    ) -> Tensor {
        let result = mapped(F.self)
        if Tensor.shouldRecord(self) {
            let saved = fromOutput ? result.detached() : detached()
            result.record(name, inputs: [self], saving: [saved]) { g in [try saved.broadcasting(G.self, g, name)] }
        }
        return result
    }

    /// eˣ elementwise.
    public func exp() -> Tensor {
        let result = mapped(Exponential.self)
        if Tensor.shouldRecord(self) {
            let value = result.detached()
            result.record("exp", inputs: [self], saving: [value]) { g in [try g * value] }
        }
        return result
    }

    /// ln x elementwise.
    public func log() -> Tensor {
        let result = mapped(Logarithm.self)
        if Tensor.shouldRecord(self) {
            let x = detached()
            result.record("log", inputs: [self], saving: [x]) { g in [try g / x] }
        }
        return result
    }

    /// √x elementwise.
    public func sqrt() -> Tensor {
        let result = mapped(SquareRoot.self)
        if Tensor.shouldRecord(self) {
            let value = result.detached()
            result.record("sqrt", inputs: [self], saving: [value]) { g in [try g / (value * 2)] }
        }
        return result
    }

    /// |x| elementwise (gradient 0 at 0, as PyTorch).
    public func abs() -> Tensor { unary(Absolute.self, "abs", gradient: AbsGradient.self, fromOutput: false) }
    /// max(x, 0) elementwise (gradient 0 at 0, as PyTorch).
    public func relu() -> Tensor { unary(ReLU.self, "relu", gradient: ReLUGradient.self, fromOutput: false) }
    /// 1 / (1 + e⁻ˣ) elementwise.
    public func sigmoid() -> Tensor { unary(Sigmoid.self, "sigmoid", gradient: SigmoidGradient.self, fromOutput: true) }
    /// tanh x elementwise.
    public func tanh() -> Tensor { unary(HyperbolicTangent.self, "tanh", gradient: TanhGradient.self, fromOutput: true) }
    /// sin x elementwise (vectorised; the C library beyond |x| = 8192).
    public func sin() -> Tensor { trigonometric(cosine: false) }
    /// cos x elementwise (vectorised; the C library beyond |x| = 8192).
    public func cos() -> Tensor { trigonometric(cosine: true) }

    /// sin or cos, with the other as its derivative: d sin = cos, d cos = −sin.
    private func trigonometric(cosine: Bool) -> Tensor {
        let result = Tensor(uninitialized: shape)
        Elementwise.sineOrCosine(pointer, result.pointer, count: elementCount, cosine: cosine)
        if Tensor.shouldRecord(self) {
            let x = detached()
            result.record(cosine ? "cos" : "sin", inputs: [self], saving: [x]) { g in
                [cosine ? try -(g * x.sin()) : try g * x.cos()]
            }
        }
        return result
    }

    /// The values rounded toward zero, as `x.long()` truncates (a new tensor off the graph, as an
    /// integer tensor has no gradient).
    public func truncated() -> Tensor {
        let result = Tensor(uninitialized: shape)
        for i in 0..<elementCount { result.pointer[i] = pointer[i].rounded(.towardZero) }
        return result
    }

    /// x² elementwise (composed).
    public func squared() throws(TensorError) -> Tensor { try self * self }
}
