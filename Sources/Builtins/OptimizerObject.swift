import Datasets
import Display
import Language
import NeuralNetworks
import TensorEngine

/// An optimizer over a model's parameters, for a training loop written by hand:
/// `opt = adam(model, lr: 0.001)`, then `opt.zero_grad()`, `loss.backward()`, `opt.step()`.
final class OptimizerObject: HostObject, @unchecked Sendable {
    let optimizer: any Optimizer
    let parameters: [Tensor]
    let kind: OptimizerKind

    init(_ kind: OptimizerKind, _ optimizer: any Optimizer, parameters: [Tensor]) {
        self.kind = kind
        self.optimizer = optimizer
        self.parameters = parameters
    }

    var typeName: String { "optimizer" }
    var summary: String { "\(optimizer.summary) over \(parameters.count) parameter tensors, \(optimizer.stepCount) steps taken" }
    var memberNames: [String] { ["lr", "steps"] + Self.methods.keys.sorted() }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "lr": return .number(Double(optimizer.learningRate))
        case "steps": return .number(Double(optimizer.stepCount))
        default: throw HostError("optimizer has no member '\(name)'", hint: memberHint(for: name))
        }
    }

    /// `opt.lr = 0.0005`: a learning-rate schedule written by hand.
    func setMember(_ name: String, to value: Value) throws(HostError) {
        guard name == "lr" else { throw HostError("optimizer.\(name) cannot be assigned to", hint: "only lr can change") }
        guard case .number(let rate) = value, rate > 0, rate.isFinite else {
            throw HostError("lr must be a positive number, got \(value.quotedDescription)")
        }
        optimizer.learningRate = Float(rate)
    }

    func method(named name: String) -> HostMethod? { Self.methods[name] }

    private static let methods: [String: HostMethod] = [
        HostMethod("step", on: OptimizerObject.self, documentation: "Updates every parameter from its gradient (after loss.backward()).") { object, _ in
            guard object.parameters.contains(where: { $0.grad != nil }) else {
                throw HostError("no parameter has a gradient yet, so there is nothing to step with",
                                hint: "call loss.backward() before opt.step(): zero_grad(), forward, loss, backward(), step()")
            }
            GradientMode.withoutRecording { object.optimizer.update(object.parameters) }
            return .none
        },
        HostMethod("zero_grad", on: OptimizerObject.self, documentation: "Forgets every parameter's gradient before the next backward().") { object, _ in
            for parameter in object.parameters { parameter.zeroGrad() }
            return .none
        },
    ].byName
}

/// `batches(data, 64, shuffle: true)`: the batches of one pass over the data, in the order
/// `train` would use with the same seed (each loop over it is a new pass, freshly shuffled).
final class BatchesObject: HostObject, @unchecked Sendable {
    let data: Dataset
    let size: Int
    let shuffle: Bool

    init(data: Dataset, size: Int, shuffle: Bool) {
        self.data = data
        self.size = size
        self.shuffle = shuffle
    }

    var typeName: String { "batches" }
    var batchCount: Int { (data.count + size - 1) / size }
    var summary: String { "\(batchCount) batches of \(size) from \(data.name)\(shuffle ? ", shuffled" : "")" }
    var length: Int? { batchCount }
    var memberNames: [String] { ["count", "size"] }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "count": return .number(Double(batchCount))
        case "size": return .number(Double(size))
        default: throw HostError("batches has no member '\(name)'", hint: memberHint(for: name))
        }
    }

    func makeIterator() throws(HostError) -> (any ValueIterator)? {
        // Drawn exactly where Training.fit draws it at the start of an epoch.
        let seed = shuffle ? GlobalRandom.withGenerator { $0.next() } : nil
        let data = self.data, size = self.size
        let loader = try hostValue { try DataLoader(data, batchSize: size, shuffleSeed: seed) }
        return BatchIterator(loader) { positions throws(TensorError) in
            let (inputs, targets) = try data.batch(positions)
            return .tuple([TensorObject.value(inputs), TensorObject.value(targets)])
        }
    }

    private func hostValue<T>(_ body: () throws -> T) throws(HostError) -> T {
        do { return try hosted(body) } catch let error as HostError { throw error } catch { throw HostError("\(error)") }
    }
}
