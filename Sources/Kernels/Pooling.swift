/// 2-D max pooling over independent planes (N·C planes of H×W), no padding, floor mode (as PyTorch).
public enum Pooling {
    /// out[p, oy, ox] = max of the k×k window at (oy·s, ox·s); `argmax` gets the winner's index in its plane.
    public static func maxForward(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: Int, stride: Int,
        _ out: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
    ) {
        let outH = (height - kernel) / stride + 1, outW = (width - kernel) / stride + 1
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / (height * width))) { range in
            for p in range {
                let plane = x + p * height * width
                let o = out + p * outH * outW, index = argmax + p * outH * outW
                if kernel == 2 && stride == 2 {
                    maxForward2x2(plane, width: width, outH: outH, outW: outW, o, index)
                    continue
                }
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
                        index[oy * outW + ox] = Int32(bestIndex)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func maxForward2x2(
        _ plane: UnsafePointer<Float>, width: Int, outH: Int, outW: Int,
        _ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>
    ) {
        for oy in 0..<outH {
            let top = plane + 2 * oy * width, bottom = top + width
            let base = Int32(2 * oy * width)
            for ox in 0..<outW {
                let a = top[2 * ox], b = top[2 * ox + 1], c = bottom[2 * ox], d = bottom[2 * ox + 1]
                // First maximum in row-major window order, like PyTorch.
                var best = a, bestIndex = base + Int32(2 * ox)
                if b > best { best = b; bestIndex = base + Int32(2 * ox + 1) }
                if c > best { best = c; bestIndex = base + Int32(width + 2 * ox) }
                if d > best { best = d; bestIndex = base + Int32(width + 2 * ox + 1) }
                o[oy * outW + ox] = best
                index[oy * outW + ox] = bestIndex
            }
        }
    }

    /// dx[p, argmax[p, j]] += upstream[p, j]; dx is overwritten.
    public static func maxBackward(
        _ upstream: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, planes: Int, planeSize: Int, outPlaneSize: Int,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / planeSize)) { range in
            for p in range {
                let d = dx + p * planeSize, g = upstream + p * outPlaneSize, index = argmax + p * outPlaneSize
                d.update(repeating: 0, count: planeSize)
                for j in 0..<outPlaneSize { d[Int(index[j])] += g[j] }
            }
        }
    }
}
