import Foundation
import TensorEngine

/// Small generated datasets for experiments; all draw from the global generator (`seed N`).
public enum SyntheticData {
    /// The essay's §4.3 data: standard-normal features and random 0/1 labels ([1] per example),
    /// `count` training and `count / 5` test examples. The labels are unrelated to the features,
    /// so no model can beat chance on the test split.
    public static func randomBinary(count: Int, features: Int) throws(DatasetError) -> DataSplits {
        guard count >= 5, features >= 1 else {
            throw DatasetError("random_binary: needs n of at least 5 and features of at least 1, got n \(count), features \(features)")
        }
        try checkMemory("random_binary", examples: count + count / 5, features: features + 1)
        func split(_ name: String, _ n: Int) -> Dataset {
            let (x, y): ([Float], [Float]) = GlobalRandom.withGenerator { generator in
                ((0..<(n * features)).map { _ in generator.nextNormal() }, (0..<n).map { _ in Float(generator.nextInt(in: 0..<2)) })
            }
            let store = ExampleStore(features: .floats(x), labels: .values(y, shape: [1]), exampleShape: [features], count: n)
            return Dataset(name: name, store: store)
        }
        return DataSplits(name: "random_binary", train: split("random_binary.train", count), test: split("random_binary.test", count / 5))
    }

    /// Throws unless `examples` rows of `features` floats (the labels counted as one more) fit in
    /// the memory budget: generated data is held like a tensor, so it obeys the same limit.
    private static func checkMemory(_ name: String, examples: Int, features: Int) throws(DatasetError) {
        do {
            try MemoryBudget.check([examples, features], for: name)
        } catch {
            throw DatasetError(error.message, hint: error.hint.map { "make n smaller; " + $0 })
        }
    }

    /// The four XOR points with 0/1 targets ([1] per example); train and test are the same points.
    public static func xor() -> DataSplits {
        let store = ExampleStore(features: .floats([0, 0, 0, 1, 1, 0, 1, 1]), labels: .values([0, 1, 1, 0], shape: [1]),
                                 exampleShape: [2], count: 4)
        return DataSplits(name: "xor", train: Dataset(name: "xor.train", store: store), test: Dataset(name: "xor.test", store: store))
    }

    /// Interleaved spiral arms in the plane, one class per arm, with Gaussian noise.
    public static func spirals(count: Int, classes: Int = 3, noise: Float = 0.2) throws(DatasetError) -> DataSplits {
        guard count >= classes * 2, classes >= 2 else {
            throw DatasetError("spirals: needs at least 2 classes and 2 points per class, got n \(count), classes \(classes)")
        }
        try checkMemory("spirals", examples: count + max(classes, count / 4), features: 2 + 1)
        return make("spirals", count: count, classes: classes) { generator, radius, label in
            let angle = Float(label) * 2 * .pi / Float(classes) + radius * 4 + noise * generator.nextNormal()
            return [radius * Foundation.sin(angle), radius * Foundation.cos(angle)]
        }
    }

    /// Gaussian clusters (standard deviation `spread`) around `classes` centres on a circle of radius 3.
    public static func blobs(count: Int, classes: Int = 3, features: Int = 2, spread: Float = 1) throws(DatasetError) -> DataSplits {
        guard count >= classes * 2, classes >= 2, features >= 1 else {
            throw DatasetError("blobs: needs at least 2 classes, 2 points per class and 1 feature, got n \(count), classes \(classes), features \(features)")
        }
        try checkMemory("blobs", examples: count + max(classes, count / 4), features: features + 1)
        return make("blobs", count: count, classes: classes) { generator, _, label in
            let angle = Float(label) * 2 * .pi / Float(classes)
            return (0..<features).map { axis in
                let centre: Float = axis == 0 ? 3 * Foundation.cos(angle) : (axis == 1 ? 3 * Foundation.sin(angle) : 0)
                return centre + spread * generator.nextNormal()
            }
        }
    }

    /// `count` training and `count / 4` test points from `point(generator, position, label)`, classes
    /// interleaved; `position` runs from 0 to 1 along each class.
    private static func make(
        _ name: String, count: Int, classes: Int, point: (inout RandomGenerator, Float, Int) -> [Float]
    ) -> DataSplits {
        func split(_ splitName: String, _ n: Int) -> Dataset {
            var features: [Float] = [], labels: [Int32] = []
            GlobalRandom.withGenerator { generator in
                for index in 0..<n {
                    let label = index % classes
                    features += point(&generator, Float(index / classes) / Float(max(1, n / classes)), label)
                    labels.append(Int32(label))
                }
            }
            let store = ExampleStore(features: .floats(features), labels: .classes(labels, classCount: classes),
                                     exampleShape: [features.count / max(n, 1)], count: n)
            return Dataset(name: "\(name).\(splitName)", store: store, classNames: (0..<classes).map(String.init))
        }
        return DataSplits(name: name, train: split("train", count), test: split("test", max(classes, count / 4)))
    }
}
