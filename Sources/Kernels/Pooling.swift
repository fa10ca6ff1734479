/// 2-D max pooling over independent planes (N·C planes of H×W), no padding, floor mode (as PyTorch).
public enum Pooling {
    /// out[p, oy, ox] = max of the k×k window at (oy·s, ox·s); `argmax`, when given, gets the
    /// winner's index in its plane (the first maximum in row-major window order, a NaN taking over,
    /// as PyTorch).
    ///
    /// `rectified` pools as if a ReLU came first: max(relu(x)) = relu(max(x)), so the output is the
    /// same as pooling a ReLU's output, and a window whose maximum is not positive gets argmax -1
    /// (no gradient: ReLU's gradient there is 0), saving the ReLU's pass over the larger input.
    public static func maxForward(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: Int, stride: Int,
        _ out: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?, rectified: Bool = false
    ) {
        let outH = (height - kernel) / stride + 1, outW = (width - kernel) / stride + 1
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / (height * width))) { range in
            if kernel == 2 && stride == 2 && NarrowPlanes.fit(width: width, outH: outH, outW: outW) {
                NarrowPlanes(outH: outH, outW: outW).pool(x, planes: range, height: height, out, argmax, rectified: rectified)
                return
            }
            for p in range {
                let plane = x + p * height * width
                let o = out + p * outH * outW, index = argmax.map { $0 + p * outH * outW }
                if kernel == 2 && stride == 2 {
                    maxForward2x2(plane, width: width, outH: outH, outW: outW, o, index, rectified: rectified)
                } else {
                    maxForwardGeneral(plane, width: width, kernel: kernel, stride: stride, outH: outH, outW: outW, o, index)
                    if rectified { rectify(o, index, count: outH * outW) }
                }
            }
        }
    }

    @inline(__always)
    private static func maxForwardGeneral(
        _ plane: UnsafePointer<Float>, width: Int, kernel: Int, stride: Int, outH: Int, outW: Int,
        _ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>?
    ) {
        for oy in 0..<outH {
            for ox in 0..<outW {
                var best = -Float.infinity, bestIndex = (oy * stride) * width + ox * stride
                for ky in 0..<kernel {
                    let rowStart = (oy * stride + ky) * width + ox * stride
                    for kx in 0..<kernel {
                        let value = plane[rowStart + kx]
                        if value > best || value.isNaN { best = value; bestIndex = rowStart + kx }
                    }
                }
                o[oy * outW + ox] = plane[bestIndex]
                index?[oy * outW + ox] = Int32(bestIndex)
            }
        }
    }

    /// ReLU of pooled maxima, as `ReLU` computes it (NaN kept, -0 and negatives to 0); a window
    /// that is not positive gets argmax -1, as ReLU's gradient (x > 0 ? g : 0) is 0 there.
    @inline(__always)
    private static func rectify(_ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>?, count: Int) {
        for j in 0..<count where !(o[j] > 0) {
            if !o[j].isNaN { o[j] = 0 }
            index?[j] = -1
        }
    }

    /// dx[p, argmax[p, j]] += upstream[p, j], skipping argmax -1 (a rectified window that was 0);
    /// dx is overwritten.
    public static func maxBackward(
        _ upstream: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, planes: Int, planeSize: Int, outPlaneSize: Int,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / planeSize)) { range in
            for p in range {
                let d = dx + p * planeSize, g = upstream + p * outPlaneSize, index = argmax + p * outPlaneSize
                d.update(repeating: 0, count: planeSize)
                for j in 0..<outPlaneSize where index[j] >= 0 { d[Int(index[j])] += g[j] }
            }
        }
    }
}
