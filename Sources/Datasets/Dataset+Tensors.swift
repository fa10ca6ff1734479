import TensorEngine

extension Dataset {
    /// A dataset over in-memory features (`count` examples of `exampleShape`, row-major).
    public init(name: String, features: [Float], exampleShape: Shape, labels: Labels, classNames: [String]? = nil) {
        let count = features.count / max(exampleShape.elementCount, 1)
        self.init(name: name, store: ExampleStore(features: .floats(features), labels: labels, exampleShape: exampleShape, count: count),
                  classNames: classNames)
    }

    /// A dataset from an inputs tensor [N, …] and a targets tensor with N rows, as in
    /// `train model on (x, y)`. A vector of whole numbers ≥ 0 is read as class indices;
    /// anything else as real-valued targets.
    public init(name: String, inputs: Tensor, targets: Tensor) throws(DatasetError) {
        guard inputs.rank >= 1, targets.rank >= 1, inputs.shape[0] == targets.shape[0] else {
            throw DatasetError("\(name): inputs of shape \(inputs.shape) and targets of shape \(targets.shape) need the same number of rows",
                               hint: "the first size of both tensors is the number of examples")
        }
        let values = targets.scalars
        let isClasses = targets.rank == 1 && values.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 1_000_000 }
        let labels: Labels = isClasses
            ? .classes(values.map { Int32($0) }, classCount: Int(values.max() ?? 0) + 1)
            : .values(values, shape: Shape(Array(targets.shape.dimensions.dropFirst())))
        self.init(name: name, features: inputs.scalars, exampleShape: Shape(Array(inputs.shape.dimensions.dropFirst())), labels: labels)
    }
}
