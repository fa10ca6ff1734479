import Foundation
import Language
import TensorEngine

extension Builtins {
    /// The tensor vocabulary of the public tutorials beyond elementwise math (PyTorch's names):
    /// `pi`, `linspace`, `cat`, `stack`, `where`, `one_hot`, `multinomial`, `gather`.
    static func registerVocabulary(in registry: Registry) {
        registry.register(NamedValue("pi", documentation: "π = 3.14159…, as math.pi.") { .number(Double.pi) })
        register(registry, "linspace", parameters: [.init("start"), .init("end"), .init("steps")],
                 "steps evenly spaced numbers from start to end, both included (torch.linspace).") { arguments in
            TensorObject.value(try Tensor.linspace(Float(try arguments.number("start")), Float(try arguments.number("end")),
                                                   steps: try arguments.integer("steps", minimum: 0)))
        }
        register(registry, "cat", parameters: [.init("tensors"), .init("axis", default: .number(0), aliases: ["dim"])],
                 "Tensors joined along an existing axis (torch.cat); all other sizes must agree.") { arguments in
            TensorObject.value(try Tensor.concatenate(try tensorList(arguments, "tensors"), axis: try arguments.integer("axis")))
        }
        register(registry, "stack", parameters: [.init("tensors"), .init("axis", default: .number(0), aliases: ["dim"])],
                 "Tensors of one shape joined along a new axis (torch.stack).") { arguments in
            TensorObject.value(try Tensor.stack(try tensorList(arguments, "tensors"), axis: try arguments.integer("axis")))
        }
        register(registry, "where", parameters: [.init("condition"), .init("a"), .init("b")],
                 "a where the condition is nonzero, else b, elementwise with broadcasting (torch.where).") { arguments in
            TensorObject.value(try Tensor.selecting(try operand(arguments, "condition"), try operand(arguments, "a"), try operand(arguments, "b")))
        }
        register(registry, "one_hot", parameters: [.init("indices"), .init("classes", default: .number(-1), aliases: ["num_classes"])],
                 "Each index as a row of zeros with a 1 at the index (F.one_hot); classes -1 means the largest index + 1.") { arguments in
            let indices = try tensor(arguments, "indices")
            let classes = try arguments.integer("classes")
            return TensorObject.integral(try indices.oneHot(classes: classes == -1 ? try indices.classCount() : classes))
        }
        register(registry, "multinomial", parameters: [.init("probs"), .init("samples", aliases: ["num_samples"]),
                                                       .init("replacement", default: .bool(false), namedOnly: true)],
                 "Indices drawn from each row of weights (torch.multinomial); repeatable after seed N.") { arguments in
            TensorObject.integral(try tensor(arguments, "probs").multinomial(try arguments.integer("samples"),
                                                                          replacement: try arguments.flag("replacement")))
        }
        register(registry, "gather", parameters: [.init("x"), .init("axis", aliases: ["dim"]), .init("index")],
                 "out[i][j] = x[i][index[i][j]] along axis (torch.gather).") { arguments in
            TensorObject.value(try tensor(arguments, "x").gather(axis: try arguments.integer("axis"), index: try tensor(arguments, "index")))
        }
    }

    /// A tensor argument that may also be written as a number or true/false.
    static func operand(_ arguments: Arguments, _ name: String) throws -> Tensor {
        guard let tensor = TensorObject.operand(arguments.value(name) ?? .none) else {
            throw arguments.mismatch(name, expected: "a tensor or a number", got: arguments.value(name) ?? .none)
        }
        return tensor
    }

    /// A list (or tuple) of tensors.
    static func tensorList(_ arguments: Arguments, _ name: String) throws -> [Tensor] {
        guard let items = arguments.value(name)?.items else {
            throw arguments.mismatch(name, expected: "a list of tensors", got: arguments.value(name) ?? .none)
        }
        guard !items.isEmpty else { throw HostError("\(arguments.functionName) needs at least one tensor", argument: name) }
        return try items.enumerated().map { index, item in
            guard let tensor = TensorObject.operand(item) else {
                throw HostError("\(arguments.functionName): item \(index) is a \(item.typeName), not a tensor", argument: name)
            }
            return tensor
        }
    }
}
