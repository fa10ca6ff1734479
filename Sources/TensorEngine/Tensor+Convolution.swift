import Kernels

extension Tensor {
    /// 2-D convolution (cross-correlation, as `torch.nn.functional.conv2d`) of a [N, C, H, W] input
    /// with a [O, C, kh, kw] weight and an optional [O] bias. `Convolution` picks the kernel by shape:
    /// im2col + GEMM, or for one-channel and narrow layers the direct and implicit ones.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws(TensorError) -> Tensor {
        let outputShape = try ShapeRules.conv2d(input: shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding)
        let geometry = Convolution.Geometry(
            batch: shape[0], inChannels: shape[1], height: shape[2], width: shape[3], outChannels: weight.shape[0],
            kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
        let result = Tensor(uninitialized: outputShape)
        if result.elementCount > 0 {
            Convolution.forward(geometry, input: pointer, weight: weight.pointer, bias: bias?.pointer, output: result.pointer)
        }
        if Tensor.shouldRecord(self, weight, bias) {
            let (x, w) = (detached(), weight.detached())
            let (needsInput, hasBias) = (requiresGrad, bias != nil)
            result.record("conv2d", inputs: [self, weight] + (bias.map { [$0] } ?? []), saving: [x, needsInput ? w : nil]) { g in
                let inputGradient = needsInput ? Tensor(uninitialized: x.shape) : nil
                let weightGradient = Tensor.zeros(w.shape)
                let biasGradient = hasBias ? Tensor.zeros([w.shape[0]]) : nil
                if g.elementCount > 0 {
                    Convolution.backward(geometry, input: x.pointer, weight: w.pointer, upstream: g.pointer,
                                         inputGradient: inputGradient?.pointer, weightGradient: weightGradient.pointer,
                                         biasGradient: biasGradient?.pointer)
                } else {
                    inputGradient.map { Elementwise.fill($0.pointer, with: 0, count: $0.elementCount) }
                }
                return [inputGradient, weightGradient] + (hasBias ? [biasGradient] : [])
            }
        }
        return result
    }

    /// 2-D max pooling of a [N, C, H, W] tensor with a square window (stride defaults to the window).
    public func maxPool2d(kernel: Int, stride: Int? = nil) throws(TensorError) -> Tensor {
        try maxPool2d(kernel: kernel, stride: stride, rectified: false)
    }

    /// `relu().maxPool2d(…)` in one pass, computed as the ReLU of the pooled maxima (the same
    /// values and gradients, without the ReLU's pass over the four times larger input).
    public func rectifiedMaxPool2d(kernel: Int, stride: Int? = nil) throws(TensorError) -> Tensor {
        try maxPool2d(kernel: kernel, stride: stride, rectified: true)
    }

    private func maxPool2d(kernel: Int, stride: Int?, rectified: Bool) throws(TensorError) -> Tensor {
        let step = stride ?? kernel
        let outputShape = try ShapeRules.maxPool2d(shape, kernel: kernel, stride: step)
        let result = Tensor(uninitialized: outputShape)
        let planes = shape[0] * shape[1]
        let recording = Tensor.shouldRecord(self)
        let argmax = recording ? IndexBuffer(count: result.elementCount) : nil
        Pooling.maxForward(pointer, planes: planes, height: shape[2], width: shape[3], kernel: kernel, stride: step,
                           result.pointer, argmax: argmax?.pointer, rectified: rectified)
        if let argmax {
            let inputShape = shape
            let planeSize = shape[2] * shape[3], outPlaneSize = outputShape[2] * outputShape[3]
            result.record(rectified ? "relu+maxpool2d" : "maxpool2d", inputs: [self]) { g in
                let gradient = Tensor(uninitialized: inputShape)
                Pooling.maxBackward(g.pointer, argmax: argmax.pointer, planes: planes, planeSize: planeSize,
                                    outPlaneSize: outPlaneSize, gradient.pointer)
                return [gradient]
            }
        }
        return result
    }
}

/// Int32 indices saved by a forward pass for its backward (e.g. max-pool winners).
final class IndexBuffer {
    let pointer: UnsafeMutablePointer<Int32>

    init(count: Int) {
        pointer = .allocate(capacity: Swift.max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }
}
