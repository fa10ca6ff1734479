import TensorEngine

extension Dataset {
    /// The inputs and targets of the examples at `positions` (0-based within this dataset):
    /// inputs [B, exampleShape…] as float32 (bytes scaled here), targets [B] class indices or
    /// [B, targetShape…] values. A batch too large for the memory limit is an error, checked
    /// before anything is allocated.
    public func batch(_ positions: some Collection<Int>) throws(TensorError) -> (inputs: Tensor, targets: Tensor) {
        try MemoryBudget.check([positions.count] + exampleShape.dimensions, for: "a batch of \(positions.count) examples", copies: 2)
        let exampleSize = exampleShape.elementCount
        var inputs = [Float](repeating: 0, count: positions.count * exampleSize)
        inputs.withUnsafeMutableBufferPointer { destination in
            for (row, position) in positions.enumerated() {
                let source = (range.lowerBound + position) * exampleSize
                let out = destination.baseAddress! + row * exampleSize
                switch store.features {
                case .bytes(let bytes, let scale, let shift):
                    bytes.withUnsafeBufferPointer { for i in 0..<exampleSize { out[i] = Float($0[source + i]) * scale + shift } }
                case .floats(let floats):
                    floats.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + source, count: exampleSize) }
                case .tokenStream(let ids, _):
                    ids.withUnsafeBufferPointer { for i in 0..<exampleSize { out[i] = Float($0[windowOffset + source + i]) } }
                }
            }
        }
        let batchShape = Shape([positions.count] + exampleShape.dimensions)
        return (try Tensor(shape: batchShape, scalars: inputs), try targets(positions))
    }

    /// The targets at `positions`.
    public func targets(_ positions: some Collection<Int>) throws(TensorError) -> Tensor {
        switch store.labels {
        case .classes(let classes, _):
            return Tensor(positions.map { Float(classes[range.lowerBound + $0]) })
        case .values(let values, let shape):
            let size = shape.elementCount
            var result: [Float] = []
            result.reserveCapacity(positions.count * size)
            for position in positions {
                let start = (range.lowerBound + position) * size
                result.append(contentsOf: values[start..<(start + size)])
            }
            return try Tensor(shape: Shape([positions.count] + shape.dimensions), scalars: result)
        case .nextTokens:
            guard case .tokenStream(let ids, let window) = store.features else { preconditionFailure("next-token targets need a token stream") }
            var result: [Float] = []
            result.reserveCapacity(positions.count * window)
            for position in positions {
                let start = (range.lowerBound + position) * window + windowOffset + 1
                result.append(contentsOf: ids[start..<(start + window)].lazy.map(Float.init))
            }
            return try Tensor(shape: [positions.count, window], scalars: result)
        }
    }

    /// Every example as one batch.
    public func all() throws(TensorError) -> (inputs: Tensor, targets: Tensor) { try batch(0..<count) }

    /// The token ids of one example (a window of a token stream), nil for other data.
    public func tokens(at position: Int) -> ArraySlice<Int32>? {
        guard case .tokenStream(let ids, let window) = store.features else { return nil }
        let start = (range.lowerBound + position) * window + windowOffset
        return ids[start..<(start + window)]
    }

    /// The raw bytes of one example (image pixels 0–255), for drawing; nil for float data.
    public func rawBytes(at position: Int) -> ArraySlice<UInt8>? {
        guard case .bytes(let bytes, _, _) = store.features else { return nil }
        let size = exampleShape.elementCount, start = (range.lowerBound + position) * size
        return bytes[start..<(start + size)]
    }

    /// The class index of one example, for class-labelled data.
    public func classIndex(at position: Int) -> Int? {
        if case .classes(let classes, _) = store.labels { return Int(classes[range.lowerBound + position]) }
        return nil
    }

    /// The highest class index present, for class-labelled data (used to check a model's outputs).
    public var largestClassIndex: Int? {
        switch store.labels {
        case .classes(let classes, _): return classes[range].max().map(Int.init)
        case .nextTokens(let count): return count - 1
        case .values: return nil
        }
    }
}
