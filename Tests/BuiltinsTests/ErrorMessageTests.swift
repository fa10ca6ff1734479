import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Testing

/// The rendered text of the first error of a snippet, exactly: message, source line, caret, hint.
struct ErrorCase: CustomStringConvertible, Sendable {
    let name: String
    let source: String
    let rendered: String
    var description: String { name }
}

private let corruptModelPath = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-corrupt.safetensors")

let errorCases: [ErrorCase] = [
    ErrorCase(name: "autograd function backward gives too many gradients", source: "class Many(autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x * 1\n    @staticmethod\n    def backward(ctx, g):\n        return g, g\nw = tensor([1.0, 2.0], requires_grad=True)\nMany.apply(w).sum().backward()", rendered: """
        t.tb:9:1: error: Many.backward returned 2 gradients for the 1 input of forward
          |
        9 | Many.apply(w).sum().backward()
          | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        t.tb:9:1: note: Many was applied here
          |
        9 | Many.apply(w).sum().backward()
          | ^~~~~~~~~~~~~
        hint: return one gradient per input of forward after ctx, none for an input that needs none

        """),
    ErrorCase(name: "autograd function saved tensor changed in place", source: "class Cube(autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        ctx.save_for_backward(x)\n        return x ** 3\n    @staticmethod\n    def backward(ctx, g):\n        x, = ctx.saved_tensors\n        return g * 3 * x ** 2\nv = tensor([1.0, 2.0], requires_grad=True)\nu = v * 1\nr = Cube.apply(u)\nno_grad:\n    u += 1\nr.sum().backward()", rendered: """
        t.tb:15:1: error: backward: a tensor of shape [2] that 'Cube' saved for the gradient was changed in place (by `u += 1`) after the forward pass (it is at version 1, 'Cube' saw version 0)
           |
        15 | r.sum().backward()
           | ^~~~~~~~~~~~~~~~~~
        t.tb:14:5: note: the values were changed in place here
           |
        14 |     u += 1
           |     ^~~~~~
        hint: PyTorch: "one of the variables needed for gradient computation has been modified by an inplace operation". Run the forward pass again after the change, or change a copy (a = a - 1 makes a new tensor)

        """),
    ErrorCase(name: "autograd function forward gives a number", source: "class One(autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return 1\n    @staticmethod\n    def backward(ctx, g):\n        return g\nOne.apply(tensor([1.0]))", rendered: """
        t.tb:8:1: error: One.forward returned a number; apply records a function that gives one tensor
          |
        8 | One.apply(tensor([1.0]))
          | ^~~~~~~~~~~~~~~~~~~~~~~~
        hint: return the result tensor from forward

        """),
    ErrorCase(name: "autograd function ctx attribute never set", source: "class Scale(autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x * 2\n    @staticmethod\n    def backward(ctx, g):\n        return g * ctx.k\nw = tensor([1.0], requires_grad=True)\nScale.apply(w).sum().backward()", rendered: """
        t.tb:7:24: error: ctx has no attribute 'k'
          |
        7 |         return g * ctx.k
          |                        ^
        t.tb:9:1: note: in backward(…), called here
          |
        9 | Scale.apply(w).sum().backward()
          | ^~~~~~~~~~~~~~
        hint: set it in forward (ctx.k = …) to use it in backward; ctx has mark_non_differentiable, needs_input_grad, save_for_backward, saved_tensors

        """),
    ErrorCase(name: "unknown name with suggestion", source: "x = mnits", rendered: """
        t.tb:1:5: error: unknown name 'mnits'
          |
        1 | x = mnits
          |     ^~~~~
        hint: did you mean 'mnist'?

        """),
    ErrorCase(name: "misspelled command", source: "trian model on mnist", rendered: """
        t.tb:1:1: error: unknown command 'trian'
          |
        1 | trian model on mnist
          | ^~~~~
        hint: did you mean 'train'?

        """),
    ErrorCase(name: "gradient of a weight rebound to a result", source: "w = tensor([1.0, -2, 3], grad: true)\n(w * w).sum().backward()\nw = w - 0.1 * w.grad\n(w * w).sum().backward()\ng = w.grad", rendered: """
        t.tb:5:7: error: this tensor was computed from others, so backward() passes its gradient on and keeps none here
          |
        5 | g = w.grad
          |       ^~~~
        t.tb:3:1: note: 'w' was last assigned here
          |
        3 | w = w - 0.1 * w.grad
          | ^
        hint: a weight updated with w = w - lr * w.grad becomes such a result; update it in place instead:
            no_grad:
                w -= lr * w.grad
        or make it a weight again: w = w.detach(), then w.requires_grad = true
        (to see the gradient of a result between layers, call x.retain_grad() before backward())

        """),
    ErrorCase(name: "dataset function not called", source: "m = mlp(2, 8, 3)\ntrain m on spirals", rendered: """
        t.tb:2:12: error: train needs data: a dataset such as mnist, or a tuple (x, y) of tensors; got function <dataset spirals>
          |
        2 | train m on spirals
          |            ^~~~~~~
        hint: spirals makes a dataset when called: write spirals()

        """),
    ErrorCase(name: "too many indices", source: "x = tensor([1, 2])\ny = x[0, 1]", rendered: """
        t.tb:2:5: error: too many indices for a tensor of shape [2]: 2 given, it has 1 axis
          |
        2 | y = x[0, 1]
          |     ^~~~~~~
        hint: give at most 1, e.g. x[0]

        """),
    ErrorCase(name: "negative tensor step", source: "x = tensor([1, 2])\ny = x[::-1]", rendered: """
        t.tb:2:5: error: a tensor slice step must be positive, got -1
          |
        2 | y = x[::-1]
          |     ^~~~~~~
        hint: a tensor is not reversed by slicing, as in PyTorch; take x[a:b] with a < b

        """),
    ErrorCase(name: "two indices on a list", source: "xs = [[1, 2], [3, 4]]\ny = xs[0, 1]", rendered: """
        t.tb:2:5: error: a list takes one index, got 2
          |
        2 | y = xs[0, 1]
          |     ^~~~~~~~
        hint: for a list of lists write xs[0][1]; a tensor takes several, as tensor(xs)[0, 1]

        """),
    ErrorCase(name: "selection of another shape", source: "x = zeros(2, 3)\nx[:, 0] = tensor([1, 2, 3])", rendered: """
        t.tb:2:1: error: cannot write a tensor of shape [3] into a selection of shape [2]
          |
        2 | x[:, 0] = tensor([1, 2, 3])
          | ^~~~~~~
        hint: the right side must have the selection's shape, or broadcast to it (one number always does)

        """),
    ErrorCase(name: "too many arguments", source: "l = linear(3, 4, 5)", rendered: """
        t.tb:1:18: error: linear takes 2 positional arguments but 3 were given
          |
        1 | l = linear(3, 4, 5)
          |                  ^
        hint: usage: linear(in, out, bias: true)

        """),
    ErrorCase(name: "missing argument", source: "c = conv2d(1, 16)", rendered: """
        t.tb:1:5: error: conv2d is missing its 'kernel' argument
          |
        1 | c = conv2d(1, 16)
          |     ^~~~~~~~~~~~~
        hint: usage: conv2d(in, out, kernel, stride: 1, padding: 0)

        """),
    ErrorCase(name: "misspelled argument name", source: "c = conv2d(1, 16, 3, paddng: 1)", rendered: """
        t.tb:1:22: error: conv2d has no parameter named 'paddng'
          |
        1 | c = conv2d(1, 16, 3, paddng: 1)
          |                      ^~~~~~~~~
        hint: did you mean 'padding'?

        """),
    ErrorCase(name: "wrong argument type", source: "l = linear(\"ten\", 4)", rendered: """
        t.tb:1:12: error: linear: 'in' must be a number, got string "ten"
          |
        1 | l = linear("ten", 4)
          |            ^~~~~

        """),
    ErrorCase(name: "shape mismatch in an expression", source: "a = ones(2, 3)\nb = a @ ones(2, 3)", rendered: """
        t.tb:2:5: error: matmul: shapes [2, 3] and [2, 3] cannot be multiplied (3 != 2)
          |
        2 | b = a @ ones(2, 3)
          |     ^~~~~~~~~~~~~~
        hint: the last size of the left operand must equal the second-to-last size of the right one

        """),
    ErrorCase(name: "shape mismatch at model build", source: "m = sequential(flatten, linear(10, 2), input: [3, 3])", rendered: """
        t.tb:1:25: error: layer 2, linear(10, 2) expects 10 input features, but receives 9 (flatten turned 3x3 into 9)
          |
        1 | m = sequential(flatten, linear(10, 2), input: [3, 3])
          |                         ^~~~~~~~~~~~~
        hint: make it linear(9, 2)

        """),
    ErrorCase(name: "training a non-model", source: "x = 3\ntrain x on mnist", rendered: """
        t.tb:2:7: error: train needs a model, got number 3
          |
        2 | train x on mnist
          |       ^
        hint: make one first, e.g. model = cnn() or model = mlp(784, 128, 10)

        """),
    ErrorCase(name: "training on something that is not data", source: "m = mlp(2, 1)\ntrain m on 5", rendered: """
        t.tb:2:12: error: train needs data: a dataset such as mnist, or a tuple (x, y) of tensors; got number 5
          |
        2 | train m on 5
          |            ^

        """),
    ErrorCase(name: "a dataset that is missing", source: "d = csv(\"/nonexistent/flowers.csv\", label: \"kind\")", rendered: """
        t.tb:1:5: error: csv: no file at '/nonexistent/flowers.csv'
          |
        1 | d = csv("/nonexistent/flowers.csv", label: "kind")
          |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: give a path relative to \(FileManager.default.currentDirectoryPath)

        """),
    ErrorCase(name: "division by zero", source: "x = 1 / (2 - 2)", rendered: """
        t.tb:1:5: error: division by zero
          |
        1 | x = 1 / (2 - 2)
          |     ^~~~~~~~~~~
        hint: the right-hand side of / is 0

        """),
    ErrorCase(name: "index out of range", source: "x = [1, 2, 3][3]", rendered: """
        t.tb:1:5: error: index 3 is out of range for a list of 3 items
          |
        1 | x = [1, 2, 3][3]
          |     ^~~~~~~~~~~~
        hint: valid indices are -3 to 2

        """),
    ErrorCase(name: "tensor index out of range", source: "x = ones(2, 2)[5]", rendered: """
        t.tb:1:5: error: index 5 is out of range for axis 0 of size 2 (shape [2, 2])
          |
        1 | x = ones(2, 2)[5]
          |     ^~~~~~~~~~~~~
        hint: valid indices are -2 to 1

        """),
    ErrorCase(name: "unterminated string", source: "print \"hello", rendered: """
        t.tb:1:7: error: this string is never closed
          |
        1 | print "hello
          |       ^
        hint: end it with "

        """),
    ErrorCase(name: "unclosed bracket points at the opener", source: "m = mlp(784,\n        128, 10", rendered: """
        t.tb:1:8: error: '(' is never closed
          |
        1 | m = mlp(784,
          |        ^
        hint: close it with ')'

        """),
    ErrorCase(name: "unexpected token", source: "x = * 3", rendered: """
        t.tb:1:5: error: expected a value, found '*'
          |
        1 | x = * 3
          |     ^

        """),
    ErrorCase(name: "unknown command clause", source: "m = mlp(2, 1)\ntrain m on xor epoch 3", rendered: """
        t.tb:2:16: error: unknown clause 'epoch' in train
          |
        2 | train m on xor epoch 3
          |                ^~~~~
        hint: did you mean 'epochs'?

        """),
    ErrorCase(name: "bad clause value", source: "m = mlp(2, 1)\ntrain m on xor lr -1", rendered: """
        t.tb:2:16: error: lr must be a positive number, got -1
          |
        2 | train m on xor lr -1
          |                ^~~~~
        hint: for example: lr 0.001

        """),
    ErrorCase(name: "clause rule in the keyword form", source: "m = mlp(2, 1)\ntrain m on xor epochs: 2.5", rendered: """
        t.tb:2:16: error: epochs must be a whole number of at least 1, got 2.5
          |
        2 | train m on xor epochs: 2.5
          |                ^~~~~~~~~~~
        hint: for example: epochs 5

        """),
    ErrorCase(name: "clause choice checked before running", source: "m = mlp(2, 1)\ntrain m on xor optimizer adamm", rendered: """
        t.tb:2:26: error: unknown optimizer 'adamm'
          |
        2 | train m on xor optimizer adamm
          |                          ^~~~~
        hint: did you mean 'adam'?

        """),
    ErrorCase(name: "clause choice with no close one", source: "m = mlp(2, 1)\ntrain m on xor loss: \"hinge\"", rendered: """
        t.tb:2:22: error: unknown loss 'hinge'
          |
        2 | train m on xor loss: "hinge"
          |                      ^~~~~~~
        hint: loss is one of: mse, cross_entropy, bce

        """),
    ErrorCase(name: "keyword clause without a value", source: "m = mlp(2, 1)\ntrain m on xor epochs:", rendered: """
        t.tb:2:16: error: 'epochs:' needs a value
          |
        2 | train m on xor epochs:
          |                ^~~~~~
        hint: for example: epochs 5

        """),
    ErrorCase(name: "momentum without sgd", source: "m = mlp(2, 1)\ntrain m on xor momentum 0.9", rendered: """
        t.tb:2:16: error: momentum is a setting of sgd, not adam
          |
        2 | train m on xor momentum 0.9
          |                ^~~~~~~~~~~~
        hint: add optimizer sgd

        """),
    ErrorCase(name: "class body holds methods only", source: "class Net:\n    x = 1\n    def forward(self, x):\n        return x", rendered: """
        t.tb:2:5: error: a class body holds methods (def) only
          |
        2 |     x = 1
          |     ^~~~~
        hint: set attributes in __init__: self.name = value

        """),
    ErrorCase(name: "class based on an undefined class", source: "class Net(Layer):\n    pass", rendered: """
        t.tb:1:11: error: Net is based on Layer, which is not defined
          |
        1 | class Net(Layer):
          |           ^~~~~
        hint: define class Layer: before it, or base it on nn.Module

        """),
    ErrorCase(name: "class based on a function", source: "class Net(len):\n    pass", rendered: """
        t.tb:1:11: error: len is a function, not a class, so Net cannot be based on it
          |
        1 | class Net(len):
          |           ^~~
        hint: define class len: before it, or base it on nn.Module

        """),
    ErrorCase(name: "class based on a PyTorch class", source: "class Net(torch.Tensor):\n    pass", rendered: """
        t.tb:1:11: error: a class here can be based on nn.Module, torch.autograd.Function or a class written here, found 'torch.Tensor'
          |
        1 | class Net(torch.Tensor):
          |           ^~~~~~~~~~~~
        hint: write class Net: (every class is an nn.Module already), or class Net(Base): with Base a class of this session

        """),
    ErrorCase(name: "instance without forward called", source: "class Bag:\n    def __init__(self):\n        self.items = []\nb = Bag()\nb(1)", rendered: """
        t.tb:5:1: error: a Bag cannot be called
          |
        5 | b(1)
          | ^
        hint: a class's instances are called through its forward: def forward(self, x): …

        """),
    ErrorCase(name: "class without weights trained", source: "class Bag:\n    def __init__(self):\n        self.items = []\nb = Bag()\ntrain b on xor", rendered: """
        t.tb:5:7: error: train needs a model, and this Bag holds no weights
          |
        5 | train b on xor
          |       ^
        hint: a class is a model when __init__ sets layers or tensors with grad: true on self, e.g. self.fc = linear(4, 2)

        """),
    ErrorCase(name: "forward returning a number", source: "class Net:\n    def __init__(self):\n        self.fc = linear(2, 1)\n    def forward(self, x):\n        return 3\nm = Net()\ntrain m on xor", rendered: """
        t.tb:4:5: error: Net.forward returned a number; a model's forward must return a tensor
          |
        4 |     def forward(self, x):
          |     ^~~~~~~~~~~~~~~~~~~~
        t.tb:7:1: note: called here
          |
        7 | train m on xor
          | ^~~~~~~~~~~~~~
        hint: end forward with return followed by the output tensor

        """),
    ErrorCase(name: "unknown attribute of an instance", source: "class Net:\n    def __init__(self):\n        self.fc = linear(2, 1)\n    def forward(self, x):\n        return self.fc(x)\nm = Net()\nm.fcc", rendered: """
        t.tb:7:3: error: Net has no attribute 'fcc'
          |
        7 | m.fcc
          |   ^~~
        hint: did you mean 'fc'?

        """),
    ErrorCase(name: "__init__ returning a value", source: "class Net:\n    def __init__(self):\n        return 1\nm = Net()", rendered: """
        t.tb:4:5: error: __init__ of Net returned a number; it must return nothing
          |
        4 | m = Net()
          |     ^~~~~
        hint: set attributes on self instead of returning

        """),
    ErrorCase(name: "class without __init__ given arguments", source: "class Net:\n    pass\nm = Net(3)", rendered: """
        t.tb:3:5: error: Net() takes no arguments: the class has no __init__
          |
        3 | m = Net(3)
          |     ^~~~~~
        hint: def __init__(self, …): in the class takes them

        """),
    ErrorCase(name: "shape error inside forward during train", source: "class Net:\n    def __init__(self):\n        self.fc = linear(3, 1)\n    def forward(self, x):\n        return self.fc(x)\nm = Net()\ntrain m on xor", rendered: """
        t.tb:5:16: error: matmul: shapes [1, 2] and [1, 3] cannot be multiplied (2 != 3)
          |
        5 |         return self.fc(x)
          |                ^~~~~~~~~~
        t.tb:7:1: note: in forward(…), called here
          |
        7 | train m on xor
          | ^~~~~~~~~~~~~~
        hint: the last size of the left operand must equal the second-to-last size of the right one

        """),
    ErrorCase(name: "export of a class using a command", source: "class Net:\n    def __init__(self):\n        self.fc = linear(2, 1)\n    def forward(self, x):\n        show x\n        return self.fc(x)\nm = Net()\nexport m to \"/tmp/never.py\"", rendered: """
        t.tb:8:1: error: export cannot write the command 'show' (at t.tb:5:9) in PyTorch yet
          |
        8 | export m to "/tmp/never.py"
          | ^~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the class may use layers, tensor functions and methods, Python's control flow and print; save model to "F.safetensors" keeps the weights whatever the code

        """),
    ErrorCase(name: "export of a class using a session tensor", source: "w = tensor([1.0])\nclass Net:\n    def __init__(self):\n        self.fc = linear(2, 1)\n    def forward(self, x):\n        return self.fc(x) * w\nm = Net()\nexport m to \"/tmp/never.py\"", rendered: """
        t.tb:8:1: error: export cannot write w, a tensor of this session, into the class's Python
          |
        8 | export m to "/tmp/never.py"
          | ^~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: make it inside __init__, or pass it to the class as an argument

        """),
    ErrorCase(name: "class inside a function", source: "def f():\n    class Inner:\n        pass", rendered: """
        t.tb:2:5: error: a class inside a function
          |
        2 |     class Inner:
          |     ^~~~~
        hint: define classes at the top level of a cell, file or prompt

        """),
    ErrorCase(name: "load of a missing file", source: "m = load \"/nonexistent/model.safetensors\"", rendered: """
        t.tb:1:5: error: load: no file at '/nonexistent/model.safetensors'
          |
        1 | m = load "/nonexistent/model.safetensors"
          |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: save a model first with: save model to "/nonexistent/model.safetensors"

        """),
    ErrorCase(name: "load of a corrupt file", source: "m = load \"\(corruptModelPath)\"", rendered: """
        t.tb:1:5: error: load: '\(corruptModelPath)' is too short to be a safetensors file (4 bytes)
          |
        1 | m = load "\(corruptModelPath)"
          |     ^\(String(repeating: "~", count: corruptModelPath.count + 6))

        """),
    ErrorCase(name: "labels beyond the model's classes", source: "m = sequential(flatten, linear(784, 5))\ntrain m on mnist", rendered: """
        t.tb:2:1: error: mnist.train has labels up to 9, but the model outputs 5 values per example (classes 0 to 4)
          |
        2 | train m on mnist
          | ^~~~~~~~~~~~~~~~
        hint: the last layer needs 10 outputs, e.g. linear(…, 10)

        """),
    ErrorCase(name: "no such member", source: "x = mnist.tset", rendered: """
        t.tb:1:11: error: dataset has no member 'tset'
          |
        1 | x = mnist.tset
          |           ^~~~
        hint: did you mean 'test'?

        """),
    ErrorCase(name: "import torch", source: "import torch", rendered: """
        t.tb:1:1: error: tensorbook has no import: its tensors, layers, optimizers and datasets are built in
          |
        1 | import torch
          | ^~~~~~~~~~~~
        hint: drop the import and write the PyTorch code with tensorbook's names: torch.randn → randn, nn.Linear → linear, optim.Adam → adam, F.relu → relu (help lists them all)

        """),
    ErrorCase(name: "conditional expression without else", source: "x = 1 if 2", rendered: """
        t.tb:1:11: error: expected 'else' in this conditional expression, found the end of the line
          |
        1 | x = 1 if 2
          |           ^
        hint: write it as Python does: value if condition else other

        """),
    ErrorCase(name: "comprehension without in", source: "x = [a for a on b]", rendered: """
        t.tb:1:14: error: expected 'in' after the names of a comprehension, found 'on'
          |
        1 | x = [a for a on b]
          |              ^~
        hint: for example: [x * 2 for x in range(5)]

        """),
    ErrorCase(name: "dictionary entry without colon", source: "x = {1 2}", rendered: """
        t.tb:1:8: error: expected ':' after a dictionary key, found the number 2
          |
        1 | x = {1 2}
          |        ^
        hint: a dictionary pairs keys with values: {"lr": 0.01, "epochs": 5}

        """),
    ErrorCase(name: "list as a dictionary key", source: "x = {[1]: 2}", rendered: """
        t.tb:1:6: error: a list cannot be a dictionary key
          |
        1 | x = {[1]: 2}
          |      ^~~
        hint: keys are numbers, strings, bools or tuples of them

        """),
    ErrorCase(name: "a def inside sequential", source: "def act(x):\n    return x\nm = sequential(linear(2, 2), act)", rendered: """
        t.tb:3:30: error: sequential: act is a function written with def, and sequential takes layers
          |
        3 | m = sequential(linear(2, 2), act)
          |                              ^~~
        hint: to run your own function between layers, write the model as a class whose forward calls it

        """),
]

@Suite struct ErrorMessageTests {
    @Test(arguments: errorCases)
    func rendersExactly(_ testCase: ErrorCase) throws {
        try Data("junk".utf8).write(to: URL(fileURLWithPath: corruptModelPath))
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        let diagnostics = interpreter.run(SourceFile(name: "t.tb", text: testCase.source))
        #expect(diagnostics.first.map { DiagnosticRenderer(color: false).render($0) } == testCase.rendered)
    }

    @Test func aFailedStatementChangesNothing() throws {
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        _ = interpreter.run(SourceFile(name: "t.tb", text: "x = 1"))
        _ = interpreter.run(SourceFile(name: "t.tb", text: "x = 1 / 0"))
        #expect(interpreter.variables["x"].map { Value.equal($0, .number(1)) } == true)
    }

    @Test func colourOnlyWhenAsked() {
        let diagnostic = Diagnostic("oops", at: SourceSpan(source: SourceFile(name: "t", text: "abc"), start: 0, end: 1), hint: "fix")
        #expect(!DiagnosticRenderer(color: false).render(diagnostic).contains("\u{1B}"))
        #expect(DiagnosticRenderer(color: true).render(diagnostic).contains("\u{1B}[1;31merror:"))
    }
}
