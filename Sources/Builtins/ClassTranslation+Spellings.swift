import Diagnostics
import Language
import Training

/// How `ClassTranslation` spells tensorbook in PyTorch: the builtins and their keyword renames,
/// values of the session as literals, and the names Python reserves.
extension ClassTranslation {
    /// An activation written bare is a layer, as in `sequential(linear(2, 4), relu)`.
    static let bareLayers = ["relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "gelu": "nn.GELU()",
                                     "softmax": "nn.Softmax(dim=-1)", "flatten": "nn.Flatten()"]

    /// Builtins Python spells the same.
    static let pythonBuiltins = Dictionary(uniqueKeysWithValues: ["len", "range", "enumerate", "zip", "list", "int", "float", "str",
                                                                          "round", "print", "super", "abs", "min", "sorted"].map { ($0, $0) })

    /// How a builtin is called in PyTorch: the callee, keyword renames, and what it needs added.
    struct Spelling {
        let callee: String
        var labels: [String: String] = [:]
        /// Keyword arguments PyTorch needs and tensorbook implies.
        var implied: String = ""
        /// Written after the call (`.float()` for arange's whole numbers).
        var suffix: String = ""
    }

    static let tensorLabels = ["axis": "dim", "grad": "requires_grad"]

    static let calls: [String: Spelling] = [
        "linear": Spelling(callee: "nn.Linear", labels: ["in": "in_features", "out": "out_features"]),
        "conv2d": Spelling(callee: "nn.Conv2d", labels: ["in": "in_channels", "out": "out_channels", "kernel": "kernel_size"]),
        "maxpool": Spelling(callee: "nn.MaxPool2d", labels: ["size": "kernel_size"]),
        "dropout": Spelling(callee: "nn.Dropout"),
        "embedding": Spelling(callee: "nn.Embedding", labels: ["vocab": "num_embeddings", "dim": "embedding_dim"]),
        "lstm": Spelling(callee: "nn.LSTM", labels: ["in": "input_size", "hidden": "hidden_size"], implied: "batch_first=True"),
        "layer_norm": Spelling(callee: "nn.LayerNorm", labels: ["dim": "normalized_shape"]),
        "sequential": Spelling(callee: "nn.Sequential"),
        "tensor": Spelling(callee: "torch.tensor", labels: tensorLabels, implied: "dtype=torch.float32"),
        "zeros": Spelling(callee: "torch.zeros", labels: tensorLabels),
        "ones": Spelling(callee: "torch.ones", labels: tensorLabels),
        "full": Spelling(callee: "torch.full", labels: tensorLabels),
        "randn": Spelling(callee: "torch.randn", labels: tensorLabels),
        "rand": Spelling(callee: "torch.rand", labels: tensorLabels),
        "eye": Spelling(callee: "torch.eye"),
        "arange": Spelling(callee: "torch.arange", suffix: ".float()"),
        "exp": Spelling(callee: "torch.exp"), "log": Spelling(callee: "torch.log"), "sqrt": Spelling(callee: "torch.sqrt"),
        "relu": Spelling(callee: "torch.relu"), "sigmoid": Spelling(callee: "torch.sigmoid"), "tanh": Spelling(callee: "torch.tanh"),
        "gelu": Spelling(callee: "F.gelu"), "softmax": Spelling(callee: "torch.softmax", labels: tensorLabels, implied: "dim=-1"),
        "sum": Spelling(callee: "torch.sum", labels: tensorLabels), "mean": Spelling(callee: "torch.mean", labels: tensorLabels),
        "max": Spelling(callee: "torch.amax", labels: tensorLabels), "argmax": Spelling(callee: "torch.argmax", labels: tensorLabels),
        "matmul": Spelling(callee: "torch.matmul"),
        "mse": Spelling(callee: "F.mse_loss"), "bce": Spelling(callee: "F.binary_cross_entropy_with_logits"),
        "cross_entropy": Spelling(callee: "F.cross_entropy"),
    ]

    /// Tensor methods whose PyTorch spelling differs.
    static let methodSpellings: [String: Spelling] = [
        "max": Spelling(callee: "amax", labels: tensorLabels), "softmax": Spelling(callee: "softmax", labels: tensorLabels, implied: "dim=-1"),
    ]

    // MARK: Values and names

    /// A value of the session as a Python literal: numbers, strings, bools, none, lists and tuples of them.
    static func literal(_ value: Value, what: String) throws(HostError) -> String {
        switch value {
        case .number(let number): return Self.number(number)
        case .string(let text): return PythonText.literal(text)
        case .bool(let flag): return flag ? "True" : "False"
        case .none: return "None"
        case .list(let list): return "[" + (try list.items.map { item throws(HostError) in try literal(item, what: what) }).joined(separator: ", ") + "]"
        case .tuple(let tuple):
            let items = try tuple.items.map { item throws(HostError) in try literal(item, what: what) }
            return "(" + items.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        default:
            throw HostError("export cannot write \(what), a \(value.typeName), into the Python script",
                            hint: "give the class numbers, strings or lists of them, and build tensors and layers inside __init__")
        }
    }

    /// 3 → "3", 0.001 → "0.001", ∞ → float("inf").
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "float(\(PythonText.literal("\(value)")))" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// The name itself, unless Python reserves it.
    static func pythonName(_ name: String) throws(HostError) -> String {
        guard !pythonKeywords.contains(name), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw HostError("export cannot write the name '\(name)': Python reserves it", hint: "rename it, e.g. \(name)_")
        }
        return name
    }

    static let pythonKeywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield",
    ]

    static func untranslatable(_ what: String, at span: SourceSpan) -> HostError {
        HostError("export cannot write \(what) (at \(span.locationDescription)) in PyTorch yet",
                  hint: "the class may use layers, tensor functions and methods, Python's control flow and print; save model to \"F.safetensors\" keeps the weights whatever the code")
    }
}
