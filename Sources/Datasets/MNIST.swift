import Foundation
import Synchronization

/// MNIST and Fashion-MNIST from gzipped IDX files; images stay bytes and are scaled to [0, 1]
/// per batch (torchvision's ToTensor). Loaded sets are cached: they are immutable.
public enum MNIST {
    static let fileNames = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    private static let cache = Mutex<[String: DataSplits]>([:])
    /// The pixel mean and standard deviation each set is standardised with (PyTorch's MNIST example's, and Fashion-MNIST's own).
    public static let digitStatistics: (mean: Float, standardDeviation: Float) = (0.1307, 0.3081)
    public static let fashionStatistics: (mean: Float, standardDeviation: Float) = (0.2860, 0.3530)
    /// The four IDX files of a set, in the order train images, train labels, test images, test labels.
    public static var files: [String] { fileNames }

    /// The handwritten digits: `data/mnist/` (shipped) or `$TENSORBOOK_DATA/mnist/`.
    public static func digits() throws(DatasetError) -> DataSplits {
        guard let folder = digitsFolder else {
            throw DatasetError(
                "mnist: cannot find the MNIST files (\(fileNames.joined(separator: ", "))) in any of: \(DataLocations.candidates(for: "mnist").joined(separator: ", "))",
                hint: "the repository ships them in data/mnist/; run from the repository or set TENSORBOOK_DATA to a folder containing mnist/")
        }
        return try load(name: "mnist", folder: folder, classNames: (0..<10).map(String.init),
                           mean: digitStatistics.mean, standardDeviation: digitStatistics.standardDeviation)
            .withSource(.mnist)
    }

    /// Zalando's Fashion-MNIST: `$TENSORBOOK_DATA/fashion-mnist/` or Debian's
    /// `/usr/share/datasets/fashion-mnist/` (package dataset-fashion-mnist).
    public static func fashion() throws(DatasetError) -> DataSplits {
        guard let folder = fashionFolder else {
            throw DatasetError("fashion_mnist: cannot find the Fashion-MNIST files in \(debian) or $TENSORBOOK_DATA/fashion-mnist",
                               hint: "install them with: make data   (or: apt-get install dataset-fashion-mnist)")
        }
        let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        return try load(name: "fashion_mnist", folder: folder, classNames: names,
                           mean: fashionStatistics.mean, standardDeviation: fashionStatistics.standardDeviation)
            .withSource(.fashionMNIST)
    }

    /// The folder holding the digits' IDX files, if any.
    public static var digitsFolder: String? { DataLocations.folder(for: "mnist", containing: fileNames) }
    /// The folder holding Fashion-MNIST's IDX files, if any.
    public static var fashionFolder: String? { DataLocations.folder(for: "fashion-mnist", containing: fileNames, extra: [debian]) }
    private static let debian = "/usr/share/datasets/fashion-mnist"

    /// Reads the four files of an MNIST-format folder and checks they agree. Pixels become
    /// (byte / 255 − mean) / standardDeviation, the standardisation of PyTorch's MNIST example
    /// (the essay's ToTensor alone is mean 0, standard deviation 1).
    public static func load(
        name: String, folder: String, classNames: [String], mean: Float = 0, standardDeviation: Float = 1
    ) throws(DatasetError) -> DataSplits {
        let key = "\(folder)|\(mean)|\(standardDeviation)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        func path(_ index: Int) -> String { (folder as NSString).appendingPathComponent(fileNames[index]) }
        let normalization = Normalization(mean: mean, standardDeviation: standardDeviation)
        let train = try split(name: "\(name).train", images: path(0), labels: path(1), classNames: classNames, normalization)
        let test = try split(name: "\(name).test", images: path(2), labels: path(3), classNames: classNames, normalization)
        let splits = DataSplits(name: name, train: train, test: test)
        cache.withLock { $0[key] = splits }
        return splits
    }

    /// Pixel standardisation: x = (byte / 255 − mean) / standardDeviation.
    struct Normalization {
        var mean: Float
        var standardDeviation: Float
        var scale: Float { 1 / (255 * standardDeviation) }
        var shift: Float { -mean / standardDeviation }
        var description: String {
            mean == 0 && standardDeviation == 1 ? "pixels / 255"
                : "pixels / 255, standardised with mean \(mean) and standard deviation \(standardDeviation)"
        }
    }

    private static func split(
        name: String, images: String, labels: String, classNames: [String], _ normalization: Normalization
    ) throws(DatasetError) -> Dataset {
        let imageFile = try IDXFile(path: images, expectedRank: 3)
        let labelFile = try IDXFile(path: labels, expectedRank: 1)
        guard imageFile.dimensions[0] == labelFile.dimensions[0] else {
            throw DatasetError("\(name): \(images) holds \(imageFile.dimensions[0]) images but \(labels) holds \(labelFile.dimensions[0]) labels")
        }
        if let bad = labelFile.bytes.first(where: { Int($0) >= classNames.count }) {
            throw DatasetError("\(name): \(labels) contains label \(bad); expected 0 to \(classNames.count - 1)")
        }
        let store = ExampleStore(
            features: .bytes(imageFile.bytes, scale: normalization.scale, shift: normalization.shift), labels: .classes(labelFile.bytes.map(Int32.init), classCount: classNames.count),
            exampleShape: [1, imageFile.dimensions[1], imageFile.dimensions[2]], count: imageFile.dimensions[0])
        return Dataset(name: name, store: store, classNames: classNames, preprocessing: normalization.description)
    }
}
