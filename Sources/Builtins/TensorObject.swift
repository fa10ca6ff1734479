import Diagnostics
import Display
import Foundation
import Language
import TensorEngine

/// A tensor as the language sees it: arithmetic with tensors and numbers, indexing, slicing,
/// members (`shape`, `T`, `sum()` …) and PyTorch-style printing.
class TensorObject: HostObject, @unchecked Sendable {
    /// The tensor this name stands for; an in-place change recorded for backward (`c += 1` on a
    /// computed tensor) moves it to a new graph node on the same storage, as PyTorch does.
    var tensor: Tensor
    /// Whether the values are indices (argmax, multinomial, `x.long()`): printed without a
    /// decimal point and named int64 as PyTorch's integer tensors, though stored as float32.
    let isIntegral: Bool

    init(_ tensor: Tensor, integral: Bool = false) {
        self.tensor = tensor
        isIntegral = integral
    }

    static func value(_ tensor: Tensor) -> Value { .object(TensorObject(tensor)) }
    /// A tensor of indices (see `isIntegral`).
    static func integral(_ tensor: Tensor) -> Value { .object(TensorObject(tensor, integral: true)) }

    var typeName: String { "tensor" }
    var summary: String { tensor.elementCount <= 8 ? described : "tensor of shape \(tensor.shape)" }
    /// PyTorch's printing of the tensor.
    var described: String { TensorFormatting.describe(tensor, classes: isIntegral) }
    /// PyTorch's name of the element type.
    var dtypeName: String { isIntegral ? "int64" : "float32" }

    func display() -> [DisplayValue] { [.text(described)] }

    /// Shape, statistics and values.
    func show() -> [DisplayValue] {
        var lines = ["tensor of shape \(tensor.shape), \(dtypeName), \(Format.grouped(tensor.elementCount)) element\(tensor.elementCount == 1 ? "" : "s")"]
        let values = tensor.scalars
        if !values.isEmpty {
            let mean = values.reduce(0, +) / Float(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
            let zeros = Float(values.filter { $0 == 0 }.count) / Float(values.count)
            lines.append("min \(Format.fixed(values.min()!, 4))  max \(Format.fixed(values.max()!, 4))  mean \(Format.fixed(mean, 4))  std \(Format.fixed(deviation, 4))  zeros \(Format.percent(zeros))")
        }
        if tensor.requiresGrad { lines.append(tensor.grad == nil ? "requires grad (no gradient yet)" : "requires grad; has a gradient (x.grad)") }
        let filters = Self.filterImages(tensor)
        return [.text(lines.joined(separator: "\n"))] + (filters.map { [.images($0)] } ?? []) + [.text(described)]
    }

    /// A conv weight [out, in, kh, kw] as pictures: the first 16 filters' first input channel, each
    /// scaled from its own minimum (black) to its maximum (white). Nil for any other shape.
    static func filterImages(_ tensor: Tensor, limit: Int = 16) -> ImageStrip? {
        guard tensor.rank == 4 else { return nil }
        let (out, input, height, width) = (tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3])
        guard out > 0, input > 0, height > 1, width > 1 else { return nil }
        let values = tensor.scalars
        let images = (0..<min(out, limit)).map { filter -> GrayImage in
            let start = filter * input * height * width
            let kernel = Array(values[start..<start + height * width])
            let low = kernel.min() ?? 0, span = max((kernel.max() ?? 0) - low, 1e-12)
            let pixels = kernel.map { UInt8(min(max((($0 - low) / span * 255).rounded(), 0), 255)) }
            return GrayImage(width: width, height: height, pixels: pixels, caption: "\(filter)")
        }
        let shown = out > limit ? "the first \(limit) of \(out) filters" : "\(out) filter\(out == 1 ? "" : "s")"
        return ImageStrip(title: "\(shown), input channel 0 (black = most negative, white = most positive)", images: images)
    }

    var memberNames: [String] { ["shape", "rank", "count", "T", "grad", "requires_grad", "dtype", "is_leaf", "data"] + Self.methods.keys.sorted() }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "shape": return .makeList(tensor.shape.dimensions.map { .number(Double($0)) })
        case "rank": return .number(Double(tensor.rank))
        case "count": return .number(Double(tensor.elementCount))
        case "T": return try hostValue { TensorObject.value(try tensor.transposed()) }
        case "requires_grad": return .bool(tensor.requiresGrad)
        case "is_leaf": return .bool(tensor.isLeaf)
        case "dtype": return .string(dtypeName)
        case "data": return .object(TensorObject(tensor.detached(), integral: isIntegral))
        case "grad":
            // As PyTorch: none until a backward() reaches the tensor, and none again after zero_grad().
            guard let gradient = tensor.grad else {
                if tensor.requiresGrad && !tensor.isLeaf && !tensor.retainsGrad {
                    throw HostError("this tensor was computed from others, so backward() passes its gradient on and keeps none here",
                                    hint: "a weight updated with w = w - lr * w.grad becomes such a result; update it in place instead:\n    no_grad:\n        w -= lr * w.grad\nor make it a weight again: w = w.detach(), then w.requires_grad = true\n(to see the gradient of a result between layers, call x.retain_grad() before backward())")
                }
                return .none
            }
            return TensorObject.value(gradient)
        default: throw HostError("tensor has no member '\(name)'", hint: Suggestions.hint(for: name, in: memberNames))
        }
    }

    func method(named name: String) -> HostMethod? { Self.methods[name] }

    /// `x.sum()`, `x.reshape(2, 3)`, …: made once for every tensor.
    private static let methods: [String: HostMethod] = {
        func method(_ name: String, _ doc: String, parameters: [Signature.Parameter] = [], variadic: String? = nil,
                    _ body: @escaping @Sendable (Tensor, Arguments) throws -> Tensor) -> HostMethod {
            HostMethod(name, on: TensorObject.self, parameters: parameters, variadic: variadic, documentation: doc) { object, arguments in
                TensorObject.value(try hosted { try body(object.tensor, arguments) })
            }
        }
        return ([
            HostMethod("item", on: TensorObject.self, documentation: "The single number in a one-element tensor.") { object, _ in
                .number(Double(try hosted { try object.tensor.item() }))
            },
            method("reshape", "The same elements in another shape (one size may be -1).", variadic: "sizes") {
                try $0.reshaped(try Builtins.shape(from: $1))
            },
            HostMethod("float", on: TensorObject.self, documentation: "The values as float32 (indices become numbers to compute with), as x.float().") { object, _ in
                TensorObject.value(object.tensor)
            },
            method("flatten", "Axes start through end (all by default) merged into one, as torch.flatten.",
                   parameters: [.init("start", default: .number(0), aliases: ["start_dim"]), .init("end", default: .number(-1), aliases: ["end_dim"])]) {
                try $0.flattened(start: try $1.integer("start"), end: try $1.integer("end"))
            },
            method("view", "The same elements in another shape, as reshape (PyTorch's view).", variadic: "sizes") {
                try $0.reshaped(try Builtins.shape(from: $1))
            },
            HostMethod("tolist", on: TensorObject.self, documentation: "The values as nested lists of numbers (a number for a one-number tensor).") { object, _ in
                TensorObject.nestedList(object.tensor.scalars[...], shape: object.tensor.shape.dimensions[...])
            },
            HostMethod("numel", on: TensorObject.self, documentation: "The number of elements (also nelement()).") { object, _ in
                .number(Double(object.tensor.elementCount))
            },
            HostMethod("nelement", on: TensorObject.self, documentation: "The number of elements (also numel()).") { object, _ in
                .number(Double(object.tensor.elementCount))
            },
            HostMethod("backward", on: TensorObject.self, parameters: [Signature.Parameter("gradient", default: Value.none)],
                       documentation: "Back-propagates from this tensor (one element, or any shape with gradient: of its shape).") { object, arguments in
                let gradient = try TensorObject.gradientArgument(arguments, for: object.tensor)
                try hosted { try object.tensor.backward(gradient: gradient) }
                return .none
            },
            HostMethod("zero_grad", on: TensorObject.self, documentation: "Forgets the gradient (grad is none until the next backward()).") { object, _ in
                object.tensor.zeroGrad()
                return .none
            },
            HostMethod("retain_grad", on: TensorObject.self, documentation: "Keeps this computed tensor's gradient in grad at the next backward().") { object, _ in
                guard object.tensor.requiresGrad else {
                    throw HostError("retain_grad: this tensor does not require a gradient", hint: "only results computed from tensors with grad: true get one")
                }
                object.tensor.retainGrad()
                return .none
            },
            HostMethod("detach", on: TensorObject.self, documentation: "The same values, cut off from the graph: no gradient flows through it.") { object, _ in
                TensorObject.value(object.tensor.detached())
            },
        ] + TensorOperation.all.map { $0.method() }).byName
    }()

    /// Values in row-major order as lists nested one level per axis.
    static func nestedList(_ values: ArraySlice<Float>, shape: ArraySlice<Int>) -> Value {
        guard let size = shape.first else { return .number(Double(values.first ?? 0)) }
        let inner = shape.dropFirst().reduce(1, *)
        return .makeList((0..<size).map { index in
            let start = values.startIndex + index * inner
            return nestedList(values[start..<(start + inner)], shape: shape.dropFirst())
        })
    }

    func hostValue(_ body: () throws -> Value) throws(HostError) -> Value {
        do { return try hosted(body) } catch let error as HostError { throw error } catch { throw HostError("\(error)") }
    }

    /// `x[0, 1]`, `x[:, 1]`, `x[::2, -1]`, as in PyTorch: an index removes its axis, a slice keeps
    /// it; index tensors (`C[X]`, `p[arange(n), ys]`) pick elements, as PyTorch's integer indexing.
    func subscripts(_ items: [SubscriptValue]) throws(HostError) -> Value {
        if let picked = try TensorSelection.indexTensors(items) {
            return try hostValue {
                let result = try tensor.indexed(by: picked.tensors)
                if picked.rest.isEmpty { return .object(TensorObject(result, integral: isIntegral)) }
                let rest = Array(repeating: SubscriptValue.slice(start: nil, end: nil, step: nil), count: result.rank - tensor.rank + picked.tensors.count)
                return try TensorObject(result, integral: isIntegral).subscripts(rest + picked.rest)
            }
        }
        let selection = try TensorSelection(items, shape: tensor.shape)
        return try hostValue {
            let sliced = try tensor.sliced(selection.ranges)
            return .object(TensorObject(try sliced.reshaped(selection.keptAxes(of: sliced.shape)), integral: isIntegral))
        }
    }

    /// `x[0, 1] = 5`, `w[:, 0] -= lr * g`: written in place, so a weight that needs a gradient may
    /// change only inside `no_grad:` (as in PyTorch); on a computed tensor the write is recorded.
    func setSubscripts(_ items: [SubscriptValue], to value: Value, at span: SourceSpan) throws(HostError) {
        if tensor.isProtectedFromInPlaceChange {
            throw HostError("this tensor needs a gradient, so writing into it would have to be recorded for backward()",
                            hint: "put the change inside no_grad:, as torch.no_grad() in PyTorch:\n    no_grad:\n        w[0] = 0")
        }
        guard let values = Self.operand(value) else {
            throw HostError("a tensor's elements are numbers; got \(value.typeName) \(value.quotedDescription)")
        }
        let selection = try TensorSelection(items, shape: tensor.shape)
        let site = SourceChangeSite(span)
        if GradientMode.isEnabled && (tensor.requiresGrad || values.requiresGrad) {
            let current = tensor
            _ = try hostValue {
                tensor = try current.changedInPlace(at: site) { base in
                    try base.overwritten(selection.ranges, indexedAxes: selection.droppedAxes, with: values)
                }
                return .none
            }
            return
        }
        do { try tensor.overwrite(selection.ranges, indexedAxes: selection.droppedAxes, with: values, at: site) } catch { throw HostError(error.message, hint: error.hint) }
    }

    /// The `gradient:` of `backward(…)`: none, or a tensor (or number) of the output's shape.
    private static func gradientArgument(_ arguments: Arguments, for output: Tensor) throws(HostError) -> Tensor? {
        let value = arguments["gradient"] ?? .none
        if case .none = value { return nil }
        guard let gradient = operand(value) else {
            throw HostError("backward: gradient must be a tensor of the output's shape \(output.shape), got \(value.typeName)", argument: "gradient")
        }
        return gradient
    }

    func negated() throws(HostError) -> Value { TensorObject.value(-tensor) }

    /// Rows: the size of the first axis (1 for a single number).
    var length: Int? { tensor.rank == 0 ? 1 : tensor.shape[0] }

    /// `f"{loss}"` of a 0-d tensor is its number, as PyTorch formats it.
    var plainFormatted: String? { tensor.rank == 0 ? Value.number(Double(tensor.scalars[0])).shortDescription : nil }

    /// A one-element tensor is a number for f-strings and comparisons with numbers.
    var numberValue: Double? { tensor.elementCount == 1 ? Double(tensor.scalars[0]) : nil }

    func binary(_ op: BinaryOperator, _ other: Value, isLeft: Bool) throws(HostError) -> Value? {
        guard let operand = Self.operand(other) else { return nil }
        let (a, b) = isLeft ? (tensor, operand) : (operand, tensor)
        guard TensorObject.supports(op) else { return nil }
        let integral = isIntegral && [.add, .subtract, .multiply].contains(op) && Self.isWhole(other)
        return try hostValue { .object(TensorObject(try TensorObject.apply(op, a, b), integral: integral)) }
    }

    /// Whether an operand keeps indices whole: a whole number or another tensor of indices.
    static func isWhole(_ value: Value) -> Bool {
        switch value {
        case .number(let number): number == number.rounded()
        case .object(let object as TensorObject): object.isIntegral
        default: false
        }
    }

    /// A number, a bool or a tensor as a tensor operand; nil for anything else.
    static func operand(_ value: Value) -> Tensor? {
        switch value {
        case .number(let number): Tensor(Float(number))
        case .bool(let flag): Tensor(flag ? 1 : 0)
        case .object(let object as TensorObject): object.tensor
        default: nil
        }
    }

    /// Whether tensors have this operator (`%`, `//` and `in` are for numbers and lists).
    static func supports(_ op: BinaryOperator) -> Bool {
        ![.remainder, .floorDivide, .isIn, .isNotIn, .isSame, .isNotSame].contains(op)
    }

    static func apply(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch op {
        case .remainder, .floorDivide, .isIn, .isNotIn, .isSame, .isNotSame: throw HostError("tensors have no '\(op.rawValue)'")
        case .add: try a + b
        case .subtract: try a - b
        case .multiply: try a * b
        case .divide: try a / b
        case .power: try a.pow(b)
        case .matrixMultiply: try a.matmul(b)
        case .equal: try a.equal(b)
        case .notEqual: try a.notEqual(b)
        case .less: try a.less(b)
        case .lessOrEqual: try a.lessOrEqual(b)
        case .greater: try a.greater(b)
        case .greaterOrEqual: try a.greaterOrEqual(b)
        }
    }
}
