import Datasets
import Foundation
import TensorEngine
import TestSupport
import Testing

@Suite struct DatasetTests {
    @Test func mnistIsTheRealDataset() throws {
        let mnist = try MNIST.digits()
        #expect(mnist.train.count == 60_000 && mnist.test.count == 10_000)
        #expect(mnist.train.exampleShape == [1, 28, 28] && mnist.train.classCount == 10)
        #expect(mnist.train.classIndex(at: 0) == 5 && mnist.test.classIndex(at: 0) == 7)
        let (inputs, targets) = try mnist.test.batch([0, 1])
        #expect(inputs.shape == [2, 1, 28, 28] && targets.scalars == [7, 2])
        // Standardised pixels: a background pixel is (0 − 0.1307) / 0.3081.
        #expect(isApproximatelyEqual(inputs.scalars[0], -0.1307 / 0.3081))
        let raw = mnist.test.rawBytes(at: 0)!
        #expect(raw.count == 784 && raw.max() == 255)
        #expect(mnist.train.preprocessing?.contains("mean 0.1307") == true)
    }

    @Test func slicesUsePythonBounds() throws {
        let test = try MNIST.digits().test
        #expect(test.slice(start: 0, end: 10).count == 10)
        #expect(test.slice(start: -5, end: nil).count == 5)
        #expect(test.slice(start: 9_995, end: 20_000).classIndex(at: 0) == test.classIndex(at: 9_995))
        #expect(test.slice(start: 5, end: 2).count == 0)
        #expect(test.slice(start: 0, end: 10).name == "mnist.test[0:10]")
    }

    @Test func loaderBatchesEveryExampleOnceWithAPartialLastBatch() throws {
        let data = Dataset(name: "toy", features: (0..<10).map(Float.init), exampleShape: [1], labels: .classes(Array(repeating: 0, count: 10), classCount: 1))
        let ordered = try DataLoader(data, batchSize: 4)
        #expect(ordered.batchCount == 3 && ordered.map { Array($0) } == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let shuffled = try DataLoader(data, batchSize: 4, shuffleSeed: 7).flatMap { $0 }
        #expect(shuffled.sorted() == Array(0..<10) && shuffled != Array(0..<10))
        #expect(try DataLoader(data, batchSize: 4, shuffleSeed: 7).flatMap { $0 } == shuffled)
        #expect(throws: DatasetError.self) { try DataLoader(data, batchSize: 0) }
    }

    @Test func syntheticSetsHaveTheAdvertisedShapes() throws {
        let random = try SyntheticData.randomBinary(count: 1000, features: 10)
        #expect(random.train.count == 1000 && random.test.count == 200 && random.train.exampleShape == [10])
        #expect(random.train.targetShape == [1] && random.train.hasBinaryTargets)
        let xor = SyntheticData.xor()
        #expect(try xor.train.all().targets.scalars == [0, 1, 1, 0])
        let spirals = try SyntheticData.spirals(count: 300)
        #expect(spirals.train.count == 300 && spirals.train.classCount == 3 && spirals.train.exampleShape == [2])
        let blobs = try SyntheticData.blobs(count: 100, classes: 4, features: 3)
        #expect(blobs.train.exampleShape == [3] && blobs.train.classCount == 4)
        #expect(throws: DatasetError.self) { try SyntheticData.randomBinary(count: 2, features: 10) }
    }

    @Test func datasetFromTensorsReadsClassesOrValues() throws {
        let x = try Tensor.randn([4, 3])
        let classes = try Dataset(name: "t", inputs: x, targets: Tensor([0, 2, 1, 2]))
        #expect(classes.classCount == 3)
        let values = try Dataset(name: "t", inputs: x, targets: Tensor([0.5, 2, 1, 2]))
        #expect(values.classCount == nil && values.targetShape == [])
        #expect(throws: DatasetError.self) { try Dataset(name: "t", inputs: x, targets: Tensor([1, 2])) }
    }

    /// A NUL inside a field, a short row and a file with only the label column (issue 33, item 7).
    @Test(arguments: [
        ("a,y\n2\0junk,0\n3,1\n4,0\n", "line 2, column 'a': '2\0junk' is not a number"),
        ("a,b,y\n1,2,0\n3,4\n5,6,1\n", "line 3, column 'y' is empty"),
        ("y\n0\n1\n0\n", "has only the label column 'y' and no feature columns"),
    ]) func badCSVContentsAreNamed(text: String, message: String) {
        do {
            _ = try CSVData.load(text: text, name: "bad.csv", label: "y")
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func csvFilesBecomeDatasets() throws {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = (0..<10).map { "\($0),\(Double($0) * 0.5),\($0 % 3)" }
        try (["a,b,kind"] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let data = try CSVData.load(path: path, label: "kind")
        #expect(data.train.count == 8 && data.test.count == 2 && data.train.classCount == 3 && data.train.exampleShape == [2])
        #expect(try data.train.batch([1]).inputs.scalars == [1, 0.5])
        func message(_ label: String) -> String {
            do { _ = try CSVData.load(path: path, label: label); return "" } catch { return "\(error)" }
        }
        #expect(message("colour").contains("has no column named 'colour'") && message("colour").contains("a, b, kind"))
        try "a,b\n1,x\n2,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(message("b").contains("line 2, column 'b': 'x' is not a number"))
        #expect((try? CSVData.load(path: "/nonexistent.csv", label: "a")) == nil)
    }

    @Test func tokenizerAndVocabulary() {
        #expect(Tokenizer.words("Don't stop -- it's GREAT, really!") == ["don't", "stop", "it's", "great", "really"])
        let vocabulary = Vocabulary(documents: [["b", "a", "b"], ["c", "a", "b"]], limit: 2)
        #expect(vocabulary.words == ["<pad>", "<unk>", "b", "a"])
        #expect(vocabulary.encode(["a", "zebra", "b"], length: 5) == [0, 0, 3, 1, 2])
        #expect(vocabulary.encode(["a", "b", "a"], length: 2) == [2, 3])
        #expect(vocabulary.decode([0, 3, 1]) == ["a", "<unk>"])
    }

    /// Needs `make data` (run by `make test`).
    @Test func movieReviewsAreSplitAndEncoded() throws {
        let reviews = try MovieReviews.load()
        #expect(reviews.train.count + reviews.test.count == 12_808)
        #expect(reviews.train.count == 10_246)
        #expect(reviews.train.vocabulary?.size == 10_002 && reviews.train.exampleShape == [56])
        let fresh = (0..<reviews.train.count).filter { reviews.train.classIndex(at: $0) == 1 }.count
        #expect(abs(Double(fresh) / Double(reviews.train.count) - 0.578) < 0.01)
        // Left padding: the last token of every review is a real word.
        let (tokens, _) = try reviews.train.batch(0..<100)
        #expect((0..<100).allSatisfy { tokens.scalars[$0 * 56 + 55] != 0 })
    }

    @Test func missingFilesSayHowToGetTheData() {
        #expect(DataLocations.candidates(for: "mnist").contains { $0.hasSuffix("data/mnist") })
        do {
            _ = try MNIST.load(name: "nowhere", folder: "/nonexistent", classNames: ["0"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/nonexistent/train-images-idx3-ubyte.gz: no such file"))
        }
    }
}
