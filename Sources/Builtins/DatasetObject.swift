import Datasets
import Diagnostics
import Display
import Language
import TensorEngine

/// A dataset (with `train`/`test` splits, or one split or slice) as the language sees it.
final class DatasetObject: HostObject, @unchecked Sendable {
    enum Content {
        case splits(DataSplits)
        case single(Dataset)
    }

    let content: Content

    init(_ content: Content) {
        self.content = content
    }

    static func value(_ splits: DataSplits) -> Value { .object(DatasetObject(.splits(splits))) }
    static func value(_ dataset: Dataset) -> Value { .object(DatasetObject(.single(dataset))) }

    /// The split that training uses: `train` when there are splits.
    var trainingData: Dataset {
        switch content {
        case .splits(let splits): splits.train
        case .single(let dataset): dataset
        }
    }

    /// The split that evaluation and prediction use: `test` when there are splits.
    var evaluationData: Dataset {
        switch content {
        case .splits(let splits): splits.test
        case .single(let dataset): dataset
        }
    }

    var typeName: String { "dataset" }

    var summary: String {
        switch content {
        case .splits(let splits) where splits.train.characters != nil:
            let windows = splits.train.exampleShape.compactDescription
            return "\(splits.name): \(Format.grouped(splits.train.count)) train + \(Format.grouped(splits.test.count)) validation windows of \(windows) characters, \(splits.train.targetDescription)"
        case .splits(let splits):
            return "\(splits.name): \(Format.grouped(splits.train.count)) train + \(Format.grouped(splits.test.count)) test examples of \(splits.train.exampleShape.compactDescription), \(splits.train.targetDescription)"
        case .single(let dataset):
            return "\(dataset.name): \(Format.grouped(dataset.count)) examples of \(dataset.exampleShape.compactDescription), \(dataset.targetDescription)"
        }
    }

    func display() -> [DisplayValue] {
        [.text(([summary] + (trainingData.preprocessing.map { ["inputs: \($0)"] } ?? [])).joined(separator: "\n"))]
    }

    /// Counts, classes, and a few examples: digits as images, reviews as text.
    func show() -> [DisplayValue] {
        var shown = display()
        // A small slice is shown whole; anything larger, by its first eight examples.
        let data = evaluationData
        var sample = data.count <= 24 ? data : data.slice(start: 0, end: 8)
        sample.name = data.name
        if sample.rawBytes(at: 0) != nil, sample.count > 0 {
            shown.append(.images(Self.images(of: sample, predictions: nil)))
        } else if let characters = sample.characters {
            // A few windows are far below any memory limit (at least 1 MiB): `try?` cannot drop one.
            let rows = (0..<min(sample.count, 4)).compactMap { position -> [String]? in
                guard let (inputs, targets) = try? sample.batch([position]) else { return nil }
                return ["\(position)", Self.visible(characters.decode(inputs.scalars.map { Int32($0) })),
                        Self.visible(characters.decode(targets.scalars.map { Int32($0) }))]
            }
            shown.append(.table(Table(headers: ["window", "input", "target (the next characters)"], rows: rows, alignments: [.right, .left, .left])))
        } else if sample.vocabulary == nil, sample.exampleShape.rank == 1, sample.exampleShape[0] <= 8, sample.count <= 12,
                  let (inputs, targets) = try? sample.batch(0..<sample.count) {
            let width = sample.exampleShape[0], targetWidth = max(1, targets.elementCount / max(sample.count, 1))
            func cell(_ value: Float) -> String { value == value.rounded() ? Value.format(Double(value)) : Format.fixed(value, 4) }
            let rows = (0..<sample.count).map { row in
                inputs.scalars[(row * width)..<((row + 1) * width)].map(cell) + targets.scalars[(row * targetWidth)..<((row + 1) * targetWidth)].map(cell)
            }
            let headers = (0..<width).map { "x\($0 + 1)" } + (targetWidth == 1 ? ["y"] : (0..<targetWidth).map { "y\($0 + 1)" })
            shown.append(.table(Table(title: sample.name, headers: headers, rows: rows, alignments: headers.map { _ in .right })))
        } else if let vocabulary = sample.vocabulary {
            let rows = (0..<min(sample.count, 4)).compactMap { position -> [String]? in
                guard let tokens = try? sample.batch([position]).inputs.scalars.map({ Int32($0) }) else { return nil }
                let label = sample.classIndex(at: position).map { sample.classNames?[$0] ?? "\($0)" } ?? "?"
                return [label, vocabulary.decode(tokens).joined(separator: " ")]
            }
            shown.append(.table(Table(headers: ["label", "text"], rows: rows, alignments: [.left, .left])))
        }
        return shown
    }

    /// Text with line breaks and tabs shown as ⏎ and ⇥, so a window fits on one table row.
    static func visible(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\t", with: "⇥")
    }

    /// Digits with their labels, and "→ prediction" when given.
    static func images(of data: Dataset, predictions: [Int]?) -> ImageStrip {
        let shape = data.exampleShape.dimensions
        let (height, width) = (shape[shape.count - 2], shape[shape.count - 1])
        let images = (0..<data.count).compactMap { position -> GrayImage? in
            guard let pixels = data.rawBytes(at: position) else { return nil }
            let truth = data.classIndex(at: position).map { data.classNames?[$0] ?? "\($0)" } ?? ""
            var caption = truth
            if let predictions, predictions.indices.contains(position) {
                let predicted = data.classNames?[predictions[position]] ?? "\(predictions[position])"
                caption = predicted == truth ? "\(truth) ✓" : "\(truth)→\(predicted)"
            }
            return GrayImage(width: width, height: height, pixels: Array(pixels.prefix(width * height)), caption: caption)
        }
        return ImageStrip(title: data.name, images: images)
    }

    /// `len(data)`: examples of the training split (the split itself for a slice).
    var length: Int? { trainingData.count }

    var memberNames: [String] {
        switch content {
        case .splits: ["train", "test", "count", "shape", "classes", "vocab"]
        case .single: ["x", "y", "count", "shape", "classes", "vocab"]
        }
    }

    /// Every example of `dataset` as tensors (`data.x`, `data.y`); too large for memory is an error.
    private static func whole(_ dataset: Dataset) throws(HostError) -> (inputs: Tensor, targets: Tensor) {
        do { return try dataset.all() } catch { throw HostError(error.message, hint: error.hint) }
    }

    func member(_ name: String) throws(HostError) -> Value {
        switch (name, content) {
        case ("train", .splits(let splits)): return DatasetObject.value(splits.train)
        case ("test", .splits(let splits)): return DatasetObject.value(splits.test)
        case ("x", .single(let dataset)): return TensorObject.value(try Self.whole(dataset).inputs)
        case ("y", .single(let dataset)): return TensorObject.value(try Self.whole(dataset).targets)
        case ("count", _): return .number(Double(trainingData.count))
        case ("shape", _): return .makeList(trainingData.exampleShape.dimensions.map { .number(Double($0)) })
        case ("classes", _):
            guard let names = trainingData.classNames else { throw HostError("\(trainingData.name) has no classes (its targets are numbers)") }
            return .makeList(names.map(Value.string))
        case ("vocab", _):
            if let characters = trainingData.characters { return .object(VocabularyObject(.characters(characters))) }
            guard let vocabulary = trainingData.vocabulary else { throw HostError("\(trainingData.name) is not text, so it has no vocabulary") }
            return .object(VocabularyObject(.words(vocabulary)))
        default:
            throw HostError("dataset has no member '\(name)'", hint: Suggestions.hint(for: name, in: memberNames) ?? "members: \(memberNames.joined(separator: ", "))")
        }
    }

    /// `for x, y in data:` goes over the examples of the training split, each as `data[i]` gives it.
    func makeIterator() throws(HostError) -> (any ValueIterator)? {
        let data = trainingData
        return BatchIterator(0..<data.count) { position throws(TensorError) in
            let (inputs, targets) = try data.batch([position])
            return .tuple([TensorObject.value(inputs), TensorObject.value(targets)])
        }
    }

    /// `data[a:b]`: a slice of the evaluation split (the test split when there are splits).
    func slice(start: Value?, end: Value?) throws(HostError) -> Value {
        let lower = try Builtins.optionalInteger(start, "slice start"), upper = try Builtins.optionalInteger(end, "slice end")
        return DatasetObject.value(evaluationData.slice(start: lower, end: upper))
    }

    /// `data[i]`: one example as (input, target).
    func index(_ index: Value) throws(HostError) -> Value {
        guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
            throw HostError("a dataset index must be a whole number, got \(index.typeName)")
        }
        let data = evaluationData, position = Int(number) < 0 ? Int(number) + data.count : Int(number)
        guard (0..<data.count).contains(position) else {
            throw HostError("index \(Int(number)) is out of range for \(data.name) (\(Format.grouped(data.count)) examples)")
        }
        do {
            let (inputs, targets) = try data.batch([position])
            return .tuple([TensorObject.value(inputs), TensorObject.value(targets)])
        } catch { throw HostError(error.message, hint: error.hint) }
    }
}

/// A text dataset's vocabulary: `lstm_classifier(vocab: movie_reviews.vocab, …)` and
/// `gpt(vocab: data.vocab, …)` size their embedding by it.
final class VocabularyObject: HostObject, @unchecked Sendable {
    /// Words (with padding and unknown ids) or characters.
    enum Kind {
        case words(Vocabulary)
        case characters(CharacterVocabulary)
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// Number of ids.
    var size: Int {
        switch kind {
        case .words(let vocabulary): vocabulary.size
        case .characters(let characters): characters.size
        }
    }

    /// `len(vocab)`: the embedding's number of rows, as `len(vocab)` of a torchtext vocabulary.
    var length: Int? { size }

    var typeName: String { "vocabulary" }
    var summary: String {
        switch kind {
        case .words(let vocabulary): "vocabulary of \(Format.grouped(vocabulary.size)) ids (\(Format.grouped(vocabulary.size - 2)) words, <pad> = 0, <unk> = 1)"
        case .characters(let characters): "vocabulary of \(characters.size) characters: \(DatasetObject.visible(characters.preview))"
        }
    }
    var memberNames: [String] {
        switch kind {
        case .words: ["size", "words"]
        case .characters: ["size", "characters"]
        }
    }

    func member(_ name: String) throws(HostError) -> Value {
        switch (name, kind) {
        case ("size", _): return .number(Double(size))
        case ("words", .words(let vocabulary)): return .makeList(vocabulary.words.prefix(50).map(Value.string))
        case ("characters", .characters(let characters)): return .makeList(characters.characters.map { .string(String(Character($0))) })
        default: throw HostError("vocabulary has no member '\(name)'", hint: "members: \(memberNames.joined(separator: ", "))")
        }
    }
}

/// Turns each item into a value with `make` as a `for` loop asks for it (a batch at a time);
/// an engine error, such as a batch too large for memory, becomes the loop's error.
final class BatchIterator<Items: Sequence>: ValueIterator {
    private var iterator: Items.Iterator
    private let make: (Items.Element) throws(TensorError) -> Value

    /// An iterator over `items`.
    init(_ items: Items, _ make: @escaping (Items.Element) throws(TensorError) -> Value) {
        iterator = items.makeIterator()
        self.make = make
    }

    func next() throws(HostError) -> Value? {
        guard let item = iterator.next() else { return nil }
        do { return try make(item) } catch { throw HostError(error.message, hint: error.hint) }
    }
}
