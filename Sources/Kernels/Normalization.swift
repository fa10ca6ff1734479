/// Layer normalisation over the last axis (`torch.nn.functional.layer_norm`), forward and
/// backward, on rows of `width` contiguous floats.
public enum Normalization {
    /// y = (x − mean) / √(var + ε) · weight + bias per row (biased variance, as PyTorch); writes
    /// each row's mean and 1/√(var + ε), which the backward pass needs.
    public static func layerNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
        mean: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>, rows: Int, width: Int, epsilon: Float
    ) {
        Parallel.forEachChunk(count: rows, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(width, 1))) { range in
            for r in range {
                let row = x + r * width, out = y + r * width
                var total: Float = 0
                for i in 0..<width { total += row[i] }
                let average = total / Float(width)
                var squares: Float = 0
                for i in 0..<width { let d = row[i] - average; squares += d * d }
                let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
                mean[r] = average
                inverseDeviation[r] = inverse
                for i in 0..<width {
                    let normalized = (row[i] - average) * inverse
                    out[i] = normalized * (weight?[i] ?? 1) + (bias?[i] ?? 0)
                }
            }
        }
    }

    /// dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) with ĝ = g · weight, r = 1/√(var + ε);
    /// adds Σ g · x̂ into `weightGradient` and Σ g into `biasGradient` when given.
    public static func layerNormBackward(
        _ x: UnsafePointer<Float>, upstream g: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
        mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?, rows: Int, width: Int
    ) {
        Parallel.forEachChunk(count: rows, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(width, 1))) { range in
            for r in range {
                let row = x + r * width, upstream = g + r * width, out = dx + r * width
                let (average, inverse) = (mean[r], inverseDeviation[r])
                var sumGradient: Float = 0, sumProduct: Float = 0
                for i in 0..<width {
                    let scaled = upstream[i] * (weight?[i] ?? 1)
                    sumGradient += scaled
                    sumProduct += scaled * (row[i] - average) * inverse
                }
                let (meanGradient, meanProduct) = (sumGradient / Float(width), sumProduct / Float(width))
                for i in 0..<width {
                    let normalized = (row[i] - average) * inverse
                    out[i] = inverse * (upstream[i] * (weight?[i] ?? 1) - meanGradient - normalized * meanProduct)
                }
            }
        }
        // The parameter gradients sum over rows: one pass, in row order (repeatable).
        for r in 0..<rows {
            let row = x + r * width, upstream = g + r * width
            let (average, inverse) = (mean[r], inverseDeviation[r])
            if let weightGradient { for i in 0..<width { weightGradient[i] += upstream[i] * (row[i] - average) * inverse } }
            if let biasGradient { for i in 0..<width { biasGradient[i] += upstream[i] } }
        }
    }
}
