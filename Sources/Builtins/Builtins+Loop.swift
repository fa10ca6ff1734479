import Datasets
import Language
import NeuralNetworks
import TensorEngine

extension Builtins {
    /// What a training loop written by hand needs (DESIGN.md §3a): losses as functions,
    /// optimizers as objects, `batches`, `params`; the same engine calls as `train`.
    static func registerLoopFunctions(in registry: Registry) {
        for loss in Loss.allCases {
            register(registry, loss.rawValue, parameters: [.init("output"), .init("target"), .init("reduction", default: .string("mean"), namedOnly: true)],
                     lossDocumentation(loss)) { arguments in
                let written = try arguments.string("reduction")
                guard let reduction = LossReduction(rawValue: written) else {
                    throw HostError("\(loss.rawValue): reduction is \"mean\", \"sum\" or \"none\", got \"\(written)\"", argument: "reduction")
                }
                return TensorObject.value(try loss(try tensor(arguments, "output"), try tensor(arguments, "target"), reduction: reduction))
            }
        }
        register(registry, "adam", parameters: [.init("model"), .init("lr", default: .number(0.001))],
                 "An Adam optimizer over the model's parameters (PyTorch's defaults): opt.zero_grad(), opt.step().") { arguments in
            .object(OptimizerObject(.adam, Adam(learningRate: try learningRate(arguments)), parameters: try parameters(arguments)))
        }
        register(registry, "adamw", parameters: [.init("model"), .init("lr", default: .number(0.001)), .init("weight_decay", default: .number(0.01))],
                 "AdamW (decoupled weight decay, PyTorch's defaults), the optimizer of GPTs: opt.zero_grad(), opt.step().") { arguments in
            let decay = try arguments.number("weight_decay")
            guard decay >= 0 else { throw HostError("adamw: weight_decay must be at least 0, got \(Value.format(decay))", argument: "weight_decay") }
            return .object(OptimizerObject(.adamw, Adam(learningRate: try learningRate(arguments), weightDecay: Float(decay), decoupled: true),
                                           parameters: try parameters(arguments)))
        }
        register(registry, "sgd", parameters: [.init("model"), .init("lr", default: .number(0.01)), .init("momentum", default: .number(0))],
                 "Stochastic gradient descent over the model's parameters, with optional momentum.") { arguments in
            let momentum = try arguments.number("momentum")
            guard momentum >= 0, momentum < 1 else { throw HostError("sgd: momentum must be in [0, 1), got \(Value.format(momentum))", argument: "momentum") }
            return .object(OptimizerObject(.sgd, SGD(learningRate: try learningRate(arguments), momentum: Float(momentum)),
                                           parameters: try parameters(arguments)))
        }
        register(registry, "rmsprop", parameters: [.init("model"), .init("lr", default: .number(0.01)), .init("alpha", default: .number(0.99))],
                 "RMSprop over the model's parameters (PyTorch's defaults): opt.zero_grad(), opt.step().") { arguments in
            let alpha = try arguments.number("alpha")
            guard alpha >= 0, alpha < 1 else { throw HostError("rmsprop: alpha must be in [0, 1), got \(Value.format(alpha))", argument: "alpha") }
            return .object(OptimizerObject(.rmsprop, RMSprop(learningRate: try learningRate(arguments), alpha: Float(alpha)),
                                           parameters: try parameters(arguments)))
        }
        register(registry, "batches", parameters: [.init("data"), .init("size", default: .number(64)), .init("shuffle", default: .bool(false))],
                 "The batches (x, y) of one pass over the data; shuffle: true gives train's order for the same seed.") { arguments in
            let size = try arguments.integer("size", minimum: 1)
            let shuffle: Bool
            switch arguments.value("shuffle")! {
            case .bool(let flag): shuffle = flag
            case let other: throw arguments.mismatch("shuffle", expected: "true or false", got: other)
            }
            return .object(BatchesObject(data: try loopData(arguments), size: size, shuffle: shuffle))
        }
        register(registry, "params", parameters: [.init("model")],
                 "The model's parameters as (name, tensor) pairs, named as in show model and safetensors.") { arguments in
            .makeList(try model(arguments).namedParameters.map { .tuple([.string($0.name), TensorObject.value($0.tensor)]) })
        }
    }

    private static func lossDocumentation(_ loss: Loss) -> String {
        switch loss {
        case .crossEntropy: "Softmax cross entropy of logits [N, C] against class ids [N] (nn.CrossEntropyLoss)."
        case .meanSquaredError: "Mean squared error of predictions against targets (nn.MSELoss)."
        case .binaryCrossEntropy: "Sigmoid cross entropy of one logit per example against 0/1 targets (nn.BCEWithLogitsLoss)."
        }
    }

    private static func model(_ arguments: Arguments) throws -> Sequential {
        switch arguments.value("model")! {
        case .object(let model as ModelObject): return model.model
        case .object(let layer as LayerObject): return try hosted { try Sequential([layer.layer]) }
        case .object(let instance as InstanceObject):
            guard let model = ModuleParts.model(of: instance) else {
                throw HostError("\(arguments.functionName): this \(instance.typeName) holds no weights",
                                hint: "a class is a model when __init__ sets layers or tensors with grad: true on self", argument: "model")
            }
            return model.model
        case let other: throw arguments.mismatch("model", expected: "a model", got: other)
        }
    }

    /// What an optimizer updates, given as PyTorch takes it: a model (or class instance), its
    /// `parameters()` list, or a list of tensors, layers and models; each tensor once.
    private static func parameters(_ arguments: Arguments) throws -> [Tensor] {
        let parameters: [Tensor]
        if case .list(let list) = arguments.value("model")! {
            parameters = try list.items.enumerated().flatMap { index, item in try listedParameters(item, index, arguments) }
        } else {
            parameters = try model(arguments).parameters
        }
        var seen = Set<ObjectIdentifier>()
        let unique = parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
        guard !unique.isEmpty else { throw HostError("\(arguments.functionName): this model has no parameters to optimize", argument: "model") }
        return unique
    }

    private static func listedParameters(_ item: Value, _ index: Int, _ arguments: Arguments) throws -> [Tensor] {
        switch item {
        case .object(let tensor as TensorObject):
            guard tensor.tensor.requiresGrad, tensor.tensor.isLeaf else {
                throw HostError("\(arguments.functionName): item \(index) of the list is a tensor without grad: true, so it cannot be learned",
                                hint: "make it with grad: true, e.g. w = randn(3, 2, grad: true)", argument: "model")
            }
            return [tensor.tensor]
        case .object(let layer as LayerObject): return layer.layer.parameters
        case .object(let model as ModelObject): return model.model.parameters
        case .object(let instance as InstanceObject): return ModuleParts.namedParameters(of: instance).map(\.tensor)
        case .tuple(let pair) where pair.count == 2: return try listedParameters(pair[1], index, arguments)
        default:
            throw HostError("\(arguments.functionName): item \(index) of the list is a \(item.typeName); the list holds tensors, layers or models",
                            hint: "pass model.parameters(), or the model itself", argument: "model")
        }
    }

    private static func learningRate(_ arguments: Arguments) throws -> Float {
        let rate = try arguments.number("lr")
        guard rate > 0, rate.isFinite else {
            throw HostError("\(arguments.functionName): lr must be a positive number, got \(Value.format(rate))", hint: "for example: lr: 0.001", argument: "lr")
        }
        return Float(rate)
    }

    /// A dataset (its training split) or a tuple (x, y) of tensors.
    private static func loopData(_ arguments: Arguments) throws -> Dataset {
        switch arguments.value("data")! {
        case .object(let data as DatasetObject): return data.trainingData
        case .tuple(let items) where items.count == 2:
            guard case .object(let x as TensorObject) = items[0], case .object(let y as TensorObject) = items[1] else {
                throw HostError("batches: the tuple must hold two tensors (inputs, targets)", argument: "data")
            }
            return try hosted { try Dataset(name: "(x, y)", inputs: x.tensor, targets: y.tensor) }
        case let other:
            throw arguments.mismatch("data", expected: "a dataset such as mnist.train, or a tuple (x, y) of tensors", got: other)
        }
    }
}
