"""A Pygments lexer for tensorbook: Python's expressions and blocks, plus the commands
(`train model on mnist epochs 5`) with their clause words, and the builtins by kind."""
from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

COMMANDS = ("attention", "clear", "confusion", "estimate", "evaluate", "explain", "export", "generate",
            "gradcheck", "help", "load", "plot", "predict", "print", "save", "seed", "show", "step", "train")
CLAUSES = ("on", "epochs", "batch", "lr", "into", "to", "with", "loss", "optimizer", "verbose", "watch",
           "every", "steps", "tokens", "temperature", "top_k", "as", "from", "limit")
KEYWORDS = ("if", "elif", "else", "while", "for", "in", "def", "return", "break", "continue", "pass", "class",
            "global", "del", "and", "or", "not", "is", "with", "no_grad", "lambda", "import", "from")
CONSTANTS = ("true", "false", "none", "True", "False", "None")
BUILTINS = ("abs", "adam", "adamw", "arange", "argmax", "argmin", "batches", "bce", "cat", "causal_mask", "clamp",
            "cos", "cross_entropy", "dict", "enumerate", "exp", "eye", "float", "full", "gather", "int", "len",
            "linspace", "list", "log", "long", "matmul", "max", "mean", "memory", "min", "mse", "multinomial",
            "one_hot", "ones", "open", "params", "pow", "rand", "randint", "randn", "range", "rmsprop", "round",
            "set", "sgd", "sin", "sorted", "sqrt", "squeeze", "stack", "str", "sum", "super", "tensor", "unsqueeze",
            "where", "zeros", "zip",
            "attention", "conv2d", "dropout", "embedding", "flatten", "gelu", "last_step", "layer_norm", "linear",
            "lstm", "maxpool", "position_embedding", "relu", "sequential", "sigmoid", "softmax", "tanh",
            "transformer_block", "cnn", "gpt", "lenet", "lstm_classifier", "mlp",
            "blobs", "csv", "random_binary", "spirals", "text", "fashion_mnist", "mnist", "movie_reviews", "pi", "xor")


class TensorbookLexer(RegexLexer):
    """tensorbook notebooks and scripts (.tb, the code cells of .nb files)."""

    name = "tensorbook"
    aliases = ["tensorbook", "tb"]
    filenames = ["*.tb"]
    mimetypes = ["text/x-tensorbook"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            # A command starts its statement: at the start of a line, or after ':' of a one-line block.
            (r"^(\s*)(" + "|".join(COMMANDS) + r")\b(?!\s*[=(\[.])", bygroups(Whitespace, Keyword.Reserved), "command"),
            (r"[^\S\n]+", Text),
            (r"#.*$", Comment.Single),
            (r"@\w+", Name.Decorator),
            (r'[fF]?"""', String.Doc, "triple-double"),
            (r"[fF]?'''", String.Doc, "triple-single"),
            (r'[fF]?"(\\\\|\\"|[^"\n])*"', String.Double),
            (r"[fF]?'(\\\\|\\'|[^'\n])*'", String.Single),
            (r"(def|class)(\s+)([A-Za-z_]\w*)", bygroups(Keyword, Text, Name.Function)),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(BUILTINS, prefix=r"(?<![.\w])", suffix=r"\b"), Name.Builtin),
            (r"(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", Number),
            (r"[A-Za-z_]\w*", Name),
            (r"\*\*|//|==|!=|<=|>=|[-+*/%@<>=]=?", Operator),
            (r"[()\[\]{},:.;]", Punctuation),
            (r".", Text),
        ],
        "command": [
            (r"(?=\n)", Text, "#pop"),
            (r"#.*$", Comment.Single, "#pop"),
            (words(CLAUSES, prefix=r"(?<![.\w])", suffix=r"\b"), Keyword),
            (r'"(\\\\|\\"|[^"\n])*"', String.Double),
            (words(BUILTINS, prefix=r"(?<![.\w])", suffix=r"\b"), Name.Builtin),
            (r"(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", Number),
            (r"[A-Za-z_]\w*", Name),
            (r"[^\S\n]+", Text),
            (r".", Punctuation),
        ],
        "triple-double": [(r'"""', String.Doc, "#pop"), (r'[^"]+|"', String.Doc)],
        "triple-single": [(r"'''", String.Doc, "#pop"), (r"[^']+|'", String.Doc)],
    }
