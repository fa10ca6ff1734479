import Datasets
import Foundation
import NeuralNetworks

/// The PyTorch code that reads the examples a model was trained on, from the same files and in
/// the same way as tensorbook: `load_data(args)` returns the (train, test) datasets, each a
/// `TensorDataset` or a `Subset` of one, with the positions the training used.
struct PyTorchDataSource {
    let recipe: TrainingRecipe
    /// Where relative paths are resolved (the session's working directory at the export).
    let workingDirectory: String
    /// The movie reviews' vocabulary and split file, beside the script.
    let vocabularyPath: String

    /// The imports, constants and functions of the data part.
    func code() throws(TrainingError) -> String {
        guard let data = recipe.data else { return Self.missing }
        let body: String
        switch data.source {
        case .mnist: body = try images(folder: MNIST.digitsFolder, statistics: MNIST.digitStatistics, name: "mnist")
        case .fashionMNIST: body = try images(folder: MNIST.fashionFolder, statistics: MNIST.fashionStatistics, name: "fashion_mnist")
        case .movieReviews: body = try reviews()
        case .csv(let path, let label): body = csv(path: absolute(path), label: label)
        case .text(let path, let context): body = try text(path: path, context: context)
        }
        return body + "\n\n\n" + selection(data)
    }

    /// The files `export` writes beside the script (the reviews' vocabulary and split).
    func companionFiles() throws(TrainingError) -> [(path: String, contents: String)] {
        guard recipe.data?.source == .movieReviews else { return [] }
        let splits: DataSplits
        do { splits = try MovieReviews.load() } catch { throw TrainingError(error.message, hint: error.hint) }
        guard let vocabulary = splits.train.vocabulary else { return [] }
        let (train, test) = MovieReviews.splitOrder(count: splits.train.count + splits.test.count)
        let contents: [String: Any] = ["words": vocabulary.words, "sequence_length": MovieReviews.sequenceLength,
                                       "train_rows": train, "test_rows": test]
        guard let json = try? JSONSerialization.data(withJSONObject: contents, options: [.sortedKeys]) else {
            throw TrainingError("export: could not encode the movie reviews' vocabulary")
        }
        return [(vocabularyPath, String(decoding: json, as: UTF8.self) + "\n")]
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : ((workingDirectory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    private static func literal(_ text: String) -> String { PythonText.literal(text) }

    /// Which examples of the loaded splits the training used (all, unless a slice).
    private func selection(_ data: DataReference) -> String {
        let evaluation = recipe.evaluationData
        func range(_ reference: DataReference?) -> String {
            guard let reference else { return "None" }
            return "range(\(reference.start), \(reference.end))"
        }
        var evaluationSplit = "test"
        if case .text = data.source { evaluationSplit = "validation" }
        if let evaluation { evaluationSplit = evaluation.split }
        return """
            TRAIN_EXAMPLES = \(range(data))  # \(PythonText.comment(data.name))
            TEST_EXAMPLES = \(range(evaluation))  # \(PythonText.comment(evaluation?.name ?? "the test split"))


            def load_data(args):
                \"\"\"The (train, test) examples, the same ones tensorbook trained and evaluated on.\"\"\"
                splits = read_splits(args.data)
                train, test = splits[\(Self.literal(data.split))], splits[\(Self.literal(evaluationSplit))]
                if TRAIN_EXAMPLES is not None:
                    train = Subset(train, TRAIN_EXAMPLES)
                if TEST_EXAMPLES is not None:
                    test = Subset(test, TEST_EXAMPLES)
                return train, test
            """
    }

    private func images(folder: String?, statistics: (mean: Float, standardDeviation: Float), name: String) throws(TrainingError) -> String {
        guard let folder else { throw TrainingError("export: cannot find the \(name) files to point the script at", hint: "run: make data") }
        let scale = 1 / (255 * statistics.standardDeviation), shift = -statistics.mean / statistics.standardDeviation
        let files = MNIST.files.map(Self.literal)
        return """
            DATA = \(Self.literal(absolute(folder)))  # the IDX files tensorbook read (--data to change)
            # Pixels as tensorbook makes them: byte / 255, standardised with mean \(statistics.mean) and std \(statistics.standardDeviation).
            SCALE, SHIFT = \(scale), \(shift)


            def read_idx(path):
                \"\"\"An IDX file (gzipped or not) as a numpy array.\"\"\"
                with (gzip.open if path.endswith(".gz") else open)(path, "rb") as file:
                    data = file.read()
                rank = data[3]
                shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
                return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


            def read_splits(folder):
                \"\"\"The train and test images [N, 1, 28, 28] (float32) with their class labels.\"\"\"
                def split(images, labels):
                    pixels = torch.from_numpy(read_idx(os.path.join(folder, images)).copy()).float().unsqueeze(1)
                    classes = torch.from_numpy(read_idx(os.path.join(folder, labels)).astype(np.int64))
                    return TensorDataset(pixels * SCALE + SHIFT, classes)

                return {"train": split(\(files[0]), \(files[1])), "test": split(\(files[2]), \(files[3]))}
            """
    }

    private func reviews() throws(TrainingError) -> String {
        let path: String
        do { path = try MovieReviews.path() } catch { throw TrainingError(error.message, hint: error.hint) }
        return """
            DATA = \(Self.literal(absolute(path)))  # the Rotten Tomatoes snippets (--data to change)
            VOCABULARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), \(Self.literal((vocabularyPath as NSString).lastPathComponent)))


            \(Self.snippetReader)


            def words(text):
                \"\"\"tensorbook's tokenizer: lowercase words of letters, digits and inner apostrophes.\"\"\"
                found, current = [], ""
                for character in text.lower() + " ":
                    if character.isalpha() or character.isnumeric() or (character == "'" and current):
                        current += character
                    elif current:
                        found.append(current[:-1] if current.endswith("'") else current)
                        current = ""
                return found


            def read_splits(path):
                \"\"\"The reviews encoded with tensorbook's vocabulary (padded in front to its length) and split as tensorbook split them.\"\"\"
                snippets = read_snippets(path)
                with open(VOCABULARY, encoding="utf-8") as file:
                    vocabulary = json.load(file)
                ids, length = {word: i for i, word in enumerate(vocabulary["words"])}, vocabulary["sequence_length"]

                def encode(text):
                    tokens = [ids.get(word, 1) for word in words(text)][-length:]  # 0 pads, 1 is an unknown word
                    return [0] * (length - len(tokens)) + tokens

                def split(rows):
                    x = torch.tensor([encode(snippets[row][0]) for row in rows], dtype=torch.int64)
                    y = torch.tensor([snippets[row][1] for row in rows], dtype=torch.int64)
                    return TensorDataset(x, y)

                return {"train": split(vocabulary["train_rows"]), "test": split(vocabulary["test_rows"])}
            """
    }

    /// Reads the snippets of the reviews' CSV (shared by the word and the character datasets).
    private static let snippetReader = """
        def read_snippets(path):
            \"\"\"(text, label) of every fresh (1) or rotten (0) row, in the file's order. Spaces after a comma
            are not part of the field, as in tensorbook's CSV reader.\"\"\"
            with open(path, newline="", encoding="utf-8") as file:
                rows = csv.DictReader(file, skipinitialspace=True)
                return [(row["text"], int(row["category"] == "fresh")) for row in rows if row["category"] in ("fresh", "rotten")]
        """

    private func csv(path: String, label: String) -> String {
        """
        DATA = \(Self.literal(path))  # --data to change
        LABEL = \(Self.literal(label))


        def read_splits(path):
            \"\"\"Every column but LABEL is a feature; whole-number labels are classes. The last fifth of the rows is the test split.\"\"\"
            with open(path, newline="", encoding="utf-8") as file:
                reader = csv.reader(file, skipinitialspace=True)
                header = next(reader)
                rows = [[float(field.strip()) for field in row] for row in reader if row]
            column = header.index(LABEL)
            x = torch.tensor([[value for i, value in enumerate(row) if i != column] for row in rows], dtype=torch.float32)
            labels = [row[column] for row in rows]
            if all(0 <= value < 10000 and value == int(value) for value in labels):
                y = torch.tensor([int(value) for value in labels], dtype=torch.int64)
            else:
                y = torch.tensor(labels, dtype=torch.float32).unsqueeze(1)
            everything = TensorDataset(x, y)  # TRAIN_EXAMPLES and TEST_EXAMPLES index these rows
            return {"train": everything, "test": everything}
        """
    }

    private func text(path: String, context: Int) throws(TrainingError) -> String {
        let builtIn = path == TextCorpus.movieReviews
        var source = absolute(path)
        if builtIn {
            do { source = absolute(try MovieReviews.path()) } catch { throw TrainingError(error.message, hint: error.hint) }
        }
        let reader = builtIn
            ? "\(Self.snippetReader)\n\n\ndef read_text(path):\n    return \"\\n\".join(text for text, _ in read_snippets(path))"
            : "def read_text(path):\n    with open(path, encoding=\"utf-8\") as file:\n        return file.read()"
        return """
            DATA = \(Self.literal(source))  # --data to change
            CONTEXT = \(context)  # characters per window


            \(reader)


            class Windows(torch.utils.data.Dataset):
                \"\"\"Non-overlapping windows of CONTEXT character ids, each with the window moved on by one as targets.
                offset moves every window along the text (tensorbook draws a fresh one each epoch).\"\"\"

                def __init__(self, ids):
                    self.ids, self.offset = ids, 0
                    self.count = max(1, (len(ids) - CONTEXT) // CONTEXT)
                    self.largest_offset = min(CONTEXT - 1, len(ids) - 1 - self.count * CONTEXT)

                def __len__(self):
                    return self.count

                def __getitem__(self, i):
                    start = i * CONTEXT + self.offset
                    return self.ids[start : start + CONTEXT], self.ids[start + 1 : start + CONTEXT + 1]


            def read_splits(path):
                \"\"\"The first 90 % of the characters to train on, the last 10 % to validate, with the text's own sorted characters as ids.\"\"\"
                text = read_text(path)
                index = {character: i for i, character in enumerate(sorted(set(text)))}
                ids = torch.tensor([index[character] for character in text], dtype=torch.int64)
                end = int(math.floor(len(ids) * (1 - 0.1) + 0.5))
                return {"train": Windows(ids[:end]), "validation": Windows(ids[end:])}
            """
    }

    private static let missing = """
        def load_data(args):
            \"\"\"This model was never trained on a dataset another program can read (it was untrained, or
            its data was made in the session). Put your own (train, test) datasets here.\"\"\"
            raise SystemExit("load_data: no dataset recorded; edit load_data() in this script to return (train, test)")
        """
}
