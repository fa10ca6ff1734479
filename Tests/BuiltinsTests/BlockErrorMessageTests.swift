import Builtins
import Diagnostics
import Display
import Language
import Testing

/// The bad inputs of blocks, functions and the hand-written training loop (DESIGN.md §3a):
/// each renders exactly as below — message, source line, caret, hint.
let blockErrorCases: [ErrorCase] = [
    ErrorCase(name: "a tab in the indentation", source: "if true:\n\tx = 1", rendered: """
        t.tb:2:1: error: a tab in the indentation
          |
        2 |  x = 1
          | ^
        hint: indent with spaces (4 per level); tabs look different in every editor

        """),
    ErrorCase(name: "inconsistent indentation", source: "if true:\n    x = 1\n  y = 2", rendered: """
        t.tb:3:1: error: this line is indented by 2 spaces, which matches no block around it
          |
        3 |   y = 2
          | ^~
        hint: indent it like the lines it belongs with: 0 or 4 spaces

        """),
    ErrorCase(name: "unexpected indentation", source: "x = 1\n    y = 2", rendered: """
        t.tb:2:1: error: unexpected indentation
          |
        2 |     y = 2
          | ^~~~
        hint: indent a line only inside a block (after a line ending in ':'); otherwise start it at the margin

        """),
    ErrorCase(name: "else without if", source: "x = 1\nelse:\n    x = 2", rendered: """
        t.tb:2:1: error: 'else' has no 'if' before it
          |
        2 | else:
          | ^~~~
        hint: else must start at the same indentation as the if it belongs to, right after that if's block

        """),
    ErrorCase(name: "break outside a loop", source: "if true:\n    break", rendered: """
        t.tb:2:5: error: 'break' outside a loop
          |
        2 |     break
          |     ^~~~~
        hint: break ends the innermost for or while loop

        """),
    ErrorCase(name: "continue outside a loop", source: "continue", rendered: """
        t.tb:1:1: error: 'continue' outside a loop
          |
        1 | continue
          | ^~~~~~~~
        hint: continue skips to the next round of the innermost for or while loop

        """),
    ErrorCase(name: "return outside a function", source: "return 5", rendered: """
        t.tb:1:1: error: 'return' outside a function
          |
        1 | return 5
          | ^~~~~~
        hint: return ends a function written with def

        """),
    ErrorCase(name: "missing colon", source: "while x < 3\n    x += 1", rendered: """
        t.tb:1:12: error: expected ':' at the end of the 'while' line, found the end of the line
          |
        1 | while x < 3
          |            ^
        hint: a line that opens a block ends with ':'

        """),
    ErrorCase(name: "missing block", source: "for i in range(3):\nprint i", rendered: """
        t.tb:2:1: error: expected an indented block after the 'for' on line 1
          |
        2 | print i
          | ^~~~~
        hint: indent the lines that belong to it by 4 spaces; an empty block is written pass

        """),
    ErrorCase(name: "too many arguments to a user function", source: "def f(a, b):\n    return a + b\nf(1, 2, 3)", rendered: """
        t.tb:3:9: error: f takes 2 positional arguments but 3 were given
          |
        3 | f(1, 2, 3)
          |         ^
        hint: usage: f(a, b)

        """),
    ErrorCase(name: "unknown argument name", source: "def f(rate: 0.1):\n    return rate\nf(lr: 0.5)", rendered: """
        t.tb:3:3: error: f has no parameter named 'lr'
          |
        3 | f(lr: 0.5)
          |   ^~~~~~~
        hint: usage: f(rate: 0.1)

        """),
    ErrorCase(name: "missing argument", source: "def f(a, b):\n    return a\nf(1)", rendered: """
        t.tb:3:1: error: f is missing its 'b' argument
          |
        3 | f(1)
          | ^~~~
        hint: usage: f(a, b)

        """),
    ErrorCase(name: "items that do not unpack", source: "for x, y in [1, 2, 3]:\n    print x", rendered: """
        t.tb:1:5: error: each item of [1, 2, 3] is a number, which cannot be unpacked into 2 names (x, y)
          |
        1 | for x, y in [1, 2, 3]:
          |     ^~~~
        hint: loop with one name: for item in …

        """),
    ErrorCase(name: "wrong count to unpack", source: "a, b = (1, 2, 3)", rendered: """
        t.tb:1:1: error: the value is a tuple of 3 items, but there are 2 names (a, b)
          |
        1 | a, b = (1, 2, 3)
          | ^~~~
        hint: use as many names as there are items

        """),
    ErrorCase(name: "step before backward", source: "m = mlp(2, 1)\nopt = sgd(m, lr: 0.1)\nopt.step()", rendered: """
        t.tb:3:1: error: no parameter has a gradient yet, so there is nothing to step with
          |
        3 | opt.step()
          | ^~~~~~~~~~
        hint: call loss.backward() before opt.step(): zero_grad(), forward, loss, backward(), step()

        """),
    ErrorCase(name: "in-place update outside no_grad", source: "w = tensor([1.0, 2.0], grad: true)\nw -= 0.1", rendered: """
        t.tb:2:1: error: this tensor needs a gradient, so changing it in place would have to be recorded for backward()
          |
        2 | w -= 0.1
          | ^~~~~~~~
        hint: put the update inside no_grad:, as torch.no_grad() in PyTorch:
            no_grad:
                w -= lr * w.grad

        """),
    ErrorCase(name: "a def inside a function", source: "def f():\n    def g():\n        pass", rendered: """
        t.tb:2:5: error: a def inside a function
          |
        2 |     def g():
          |     ^~~
        hint: define functions at the top level of a cell, file or prompt, and call them from here

        """),
    ErrorCase(name: "read before assignment in a function", source: "n = 1\ndef bump():\n    n += 1\nbump()", rendered: """
        t.tb:3:5: error: 'n' is used before this function assigns it
          |
        3 |     n += 1
          |     ^
        t.tb:4:1: note: in bump(…), called here
          |
        4 | bump()
          | ^~~~~~
        hint: 'n' is assigned somewhere in this function, so it is local here; to change the session's n, write global n first

        """),
    ErrorCase(name: "a keyword as a name", source: "for = 3", rendered: """
        t.tb:1:5: error: expected a name after 'for', found '='
          |
        1 | for = 3
          |     ^
        hint: for example: for x, y in batches(mnist.train, 64):

        """),
    ErrorCase(name: "an unknown f-string format", source: "x = 0.5\nprint f\"{x:.2q}\"", rendered: """
        t.tb:2:10: error: '.2q' is not a format tensorbook knows
          |
        2 | print f"{x:.2q}"
          |          ^
        hint: for example {x:.4f} (4 decimals), {x:.1%} (percent), {x:,} (thousands), {x:>8} (width 8), {x:.3e} (exponent)

        """),
    ErrorCase(name: "a number formatted with a tensor of many elements", source: "print f\"{ones(3):.2f}\"", rendered: """
        t.tb:1:10: error: the format '.2f' needs a number, got a tensor
          |
        1 | print f"{ones(3):.2f}"
          |          ^~~~~~~
        hint: a tensor of one element formats as a number; reduce it first, e.g. x.mean()

        """),
    ErrorCase(name: "looping over a number", source: "for i in 10:\n    print i", rendered: """
        t.tb:1:10: error: a number cannot be looped over
          |
        1 | for i in 10:
          |          ^~
        hint: to count, loop over range(n)

        """),
    ErrorCase(name: "calling a non-function", source: "x = 3\nx(1)", rendered: """
        t.tb:2:1: error: a number cannot be called
          |
        2 | x(1)
          | ^
        hint: only functions, layers and models can be called with ( )

        """),
]

@Suite struct BlockErrorMessageTests {
    @Test(arguments: blockErrorCases)
    func rendersExactly(_ testCase: ErrorCase) {
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        let diagnostics = interpreter.run(SourceFile(name: "t.tb", text: testCase.source))
        #expect(diagnostics.first.map { DiagnosticRenderer(color: false).render($0) } == testCase.rendered)
    }

    /// Giving a builtin's name a new meaning is allowed, with a warning once; `del` brings it back.
    @Test func shadowingABuiltinWarnsOnceAndDelUndoesIt() {
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let first = interpreter.run(SourceFile(name: "t.tb", text: "sum = 0\nfor i in range(3):\n    sum += i\nprint sum"))
        #expect(first.count == 1 && first[0].severity == .warning && first[0].message == "'sum' was a builtin; from now on it names your number")
        #expect(first[0].hint == "del sum brings the builtin back; or choose another name, e.g. my_sum")
        #expect(interpreter.run(SourceFile(name: "t.tb", text: "sum = 5")).isEmpty, "only the first rebinding warns")
        #expect(interpreter.run(SourceFile(name: "t.tb", text: "del sum\nprint sum(ones(2))")).isEmpty)
        #expect(sink.plainText() == "3\ntensor(2.)")
    }

    /// A broken statement inside a loop stops the run there; what ran before it is kept.
    @Test func anErrorInsideALoopKeepsEarlierIterations() {
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        let diagnostics = interpreter.run(SourceFile(name: "t.tb", text: "xs = []\nfor i in range(5):\n    xs.append(i)\n    y = 1 / (3 - i)"))
        #expect(diagnostics.first?.message == "division by zero")
        #expect(interpreter.variables["xs"].map(\.shortDescription) == "[0, 1, 2, 3]")
    }
}
