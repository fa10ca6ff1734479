import Builtins
import Diagnostics
import Display
import Foundation
import Language
import TestSupport
import Testing

/// The autograd cases where tensorbook once gave a silently wrong number (an in-place change
/// between forward and backward, `c += …` on a computed tensor, losses of mismatched shapes),
/// and PyTorch's gradient habits, run as scripts against what PyTorch does
/// (`Tests/Goldens/autograd-goldens.json`, written by `autograd_goldens.py` beside it).
struct AutogradCase: CustomStringConvertible, Sendable {
    /// The golden case.
    let name: String
    /// The script, in tensorbook.
    let source: String
    /// Script variable → golden field, each a list of numbers.
    let compared: [String: String]
    var description: String { name }
}

/// A script that PyTorch refuses too: tensorbook's error names what PyTorch's does.
struct RefusedCase: CustomStringConvertible, Sendable {
    let name: String
    /// The golden case and its field holding PyTorch's error.
    let golden: (name: String, field: String)
    let source: String
    /// A fragment of tensorbook's message, and the 1-based line it is reported on.
    let message: String
    let line: Int
    var description: String { name }
}

private let prelude = """
    def values(t):
        out = []
        for v in t.flatten():
            out.append(v.item())
        return out

    """

let autogradCases: [AutogradCase] = [
    AutogradCase(name: "add_in_place_on_computed", source: """
        a = tensor([1.0], grad: true)
        b = tensor([3.0], grad: true)
        c = a + b
        c += c + 1
        c.backward()
        """, compared: ["c": "c", "a.grad": "a_grad", "b.grad": "b_grad"]),
    AutogradCase(name: "multiply_in_place_by_itself", source: """
        a = tensor([1.0], grad: true)
        b = tensor([3.0], grad: true)
        d = a * b
        d *= d
        d.backward()
        """, compared: ["d": "d", "a.grad": "a_grad", "b.grad": "b_grad"]),
    AutogradCase(name: "multiply_in_place_by_weight", source: """
        x = tensor([1.0, 2.0], grad: true)
        w = tensor([0.5, -1.5], grad: true)
        c = x * 2
        c *= w
        c.sum().backward()
        """, compared: ["c": "c", "x.grad": "x_grad", "w.grad": "w_grad"]),
    AutogradCase(name: "index_assign_on_computed", source: """
        x = tensor([1.0, 2.0, 3.0], grad: true)
        v = tensor([5.0], grad: true)
        z = x * 2
        z[0] = 10
        z[2] = v[0] * 3
        z.sum().backward()
        """, compared: ["z": "z", "x.grad": "x_grad", "v.grad": "v_grad"]),
    AutogradCase(name: "index_update_on_computed", source: """
        x = tensor([1.0, 2.0, 3.0], grad: true)
        z = x * x
        z[1] += z[0] * 4
        z.sum().backward()
        """, compared: ["z": "z", "x.grad": "x_grad"]),
    AutogradCase(name: "retain_grad", source: """
        x = tensor([1.0, 2.0, 3.0], grad: true)
        p = x * 3
        p.retain_grad()
        (p * p).sum().backward()
        """, compared: ["p.grad": "p_grad", "x.grad": "x_grad"]),
    AutogradCase(name: "backward_with_gradient", source: """
        x = tensor([1.0, 2.0, 3.0], grad: true)
        y = x * x
        y.backward(gradient: tensor([1.0, 0.0, 0.5]))
        """, compared: ["x.grad": "x_grad"]),
]

let refusedCases: [RefusedCase] = [
    RefusedCase(name: "saved value changed in place", golden: ("saved_value_changed", "error"), source: """
        a = tensor([2.0], grad: true)
        y = sum(a * a)
        no_grad:
            a -= 1
        y.backward()
        """, message: "that 'multiply' saved for the gradient was changed in place (by `a -= 1`)", line: 5),
    RefusedCase(name: "saved output changed in place", golden: ("output_saved_then_changed", "error"), source: """
        x = tensor([0.5, -1.0], grad: true)
        s = x.sigmoid()
        s *= 2
        s.sum().backward()
        """, message: "that 'sigmoid' saved for the gradient was changed in place (by `s *= 2`)", line: 4),
    RefusedCase(name: "leaf changed in place", golden: ("leaf_in_place_refused", "error"), source: """
        w = tensor([1.0, 2.0], grad: true)
        w -= 0.1
        """, message: "this tensor needs a gradient, so changing it in place would have to be recorded", line: 2),
    RefusedCase(name: "mse of transposed operands", golden: ("loss_shapes", "mse_transposed"), source: """
        x = tensor([[1.0, 2, 3], [4, 5, 6]])
        mse(x, x.T)
        """, message: "mse: predictions of shape [2, 3] and targets of shape [3, 2] differ", line: 2),
    RefusedCase(name: "bce of a column against a vector", golden: ("loss_shapes", "bce_column"), source: """
        bce(zeros(4, 1), zeros(4))
        """, message: "bce: predictions of shape [4, 1] and targets of shape [4] differ", line: 1),
    RefusedCase(name: "backward of a vector without gradient", golden: ("backward_with_gradient", "without_gradient"), source: """
        x = tensor([1.0, 2.0, 3.0], grad: true)
        (x * 2).backward()
        """, message: "backward: output has shape [3], not one element", line: 2),
]

@Suite struct AutogradFidelityTests {
    static let goldens = try! PyTorchGoldens.load("autograd-goldens.json")

    private func run(_ source: String) -> (Interpreter, [Diagnostic]) {
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        let diagnostics = interpreter.run(SourceFile(name: "t.tb", text: prelude + source))
        return (interpreter, diagnostics)
    }

    /// The numbers of `expression` (a tensor), read back through the script's own `values`.
    private func numbers(_ expression: String, in interpreter: Interpreter) -> [Float]? {
        guard interpreter.run(SourceFile(name: "read.tb", text: "read_back = values(\(expression))")).isEmpty,
              case .list(let list)? = interpreter.variables["read_back"] else { return nil }
        return list.items.compactMap { if case .number(let number) = $0 { Float(number) } else { nil } }
    }

    @Test(arguments: autogradCases)
    func gradientsMatchPyTorch(_ example: AutogradCase) throws {
        let (interpreter, diagnostics) = run(example.source)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        for (expression, field) in example.compared {
            let expected = Self.goldens.array(example.name, field).values
            #expect(!expected.isEmpty, "golden \(example.name).\(field)")
            let actual = try #require(numbers(expression, in: interpreter), "\(expression)")
            #expect(actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) },
                    "\(example.name): \(expression) = \(actual), PyTorch \(expected)")
        }
    }

    @Test(arguments: refusedCases)
    func refusedAsPyTorchRefuses(_ example: RefusedCase) throws {
        #expect(Self.goldens.cases[example.golden.name]?[example.golden.field] is String, "PyTorch refuses \(example.name) too")
        let (_, diagnostics) = run(example.source)
        let error = try #require(diagnostics.first)
        let preludeLines = prelude.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(error.message.contains(example.message), "\(error.message)")
        #expect(error.span.map { $0.source.location(of: $0.start).line - preludeLines } == example.line)
        #expect(diagnostics.count == 1)
    }

    @Test func theInPlaceChangeIsShownAsANote() throws {
        let (_, diagnostics) = run("a = tensor([2.0], grad: true)\ny = sum(a * a)\nno_grad:\n    a -= 1\ny.backward()")
        let note = try #require(diagnostics.first?.notes.first)
        #expect(note.message == "the values were changed in place here")
        #expect(note.span?.text == "a -= 1")
        #expect(diagnostics.first?.hint?.contains("modified by an inplace operation") == true)
    }

    @Test func aRefusedBackwardChangesNothing() throws {
        let (interpreter, diagnostics) = run("""
            a = tensor([2.0], grad: true)
            b = tensor([1.0], grad: true)
            y = sum(a * a) + sum(b * 3)
            no_grad:
                a -= 1
            y.backward()
            """)
        #expect(diagnostics.count == 1)
        #expect(interpreter.run(SourceFile(name: "t.tb", text: "ga = a.grad == none\ngb = b.grad == none")).isEmpty)
        #expect(interpreter.variables["ga"].map { if case .bool(true) = $0 { true } else { false } } == true)
        #expect(interpreter.variables["gb"].map { if case .bool(true) = $0 { true } else { false } } == true, "no gradient reached b either")
    }

    @Test func zeroGradSetsGradientsToNoneAsPyTorch() throws {
        #expect(Self.goldens.cases["zero_grad_sets_none"]?["unused_grad_is_none"] as? Bool == true)
        let (interpreter, diagnostics) = run("""
            m = mlp(2, 1)
            opt = sgd(m, lr: 0.1)
            sum(m(ones(1, 2))).backward()
            had = params(m)[0][1].grad != none
            opt.zero_grad()
            cleared = params(m)[0][1].grad == none
            sum(m(ones(1, 2))).backward()
            m.zero_grad()
            cleared_by_model = params(m)[1][1].grad == none
            w = tensor([1.0, 2.0], grad: true)
            before = w.grad == none
            (w * w).sum().backward()
            w.grad = none
            after = w.grad == none
            kind = w.dtype
            needs = w.requires_grad
            one = tensor([2.5]).item()
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        for name in ["had", "cleared", "cleared_by_model", "before", "after", "needs"] {
            #expect(interpreter.variables[name].map { if case .bool(true) = $0 { true } else { false } } == true, "\(name)")
        }
        #expect(interpreter.variables["kind"].map { if case .string("float32") = $0 { true } else { false } } == true)
        #expect(interpreter.variables["one"].map { if case .number(2.5) = $0 { true } else { false } } == true)
    }

    @Test func gradCanOnlyBeClearedByAssignment() throws {
        let (_, diagnostics) = run("w = tensor([1.0], grad: true)\nw.grad = 3")
        #expect(diagnostics.first?.message == "a tensor's grad can only be set to none, got number 3")
    }
}
