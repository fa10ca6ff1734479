import Datasets
import Diagnostics
import Display
import Language
import NeuralNetworks
import TensorEngine
import Training

extension Builtins {
    static func registerCommands(in registry: Registry) {
        registry.register(CommandDefinition(
            "train", grammar: CommandGrammar(modelOnData, clauses: trainingClauses(including: ["epochs"])),
            documentation: "Trains the model (defaults: 1 epoch, batch 64, adam, lr 0.001, loss from the data).",
            example: "train model on mnist epochs 2") { try train($0) })
        registry.register(CommandDefinition(
            "evaluate", grammar: CommandGrammar(modelOnData), documentation: "Loss and accuracy on the data's test split.",
            example: "evaluate model on mnist", displaysResult: true, canFollowShow: true) { invocation in
            let model = try modelOperand(invocation)
            let data = try dataOperand(invocation, forEvaluation: true)
            return try withModelErrors(model, invocation, activity: "evaluating") {
                .object(MetricsObject(try Training.evaluate(model.model, on: data, loss: model.trainedLoss), dataName: data.name))
            }
        })
        registry.register(CommandDefinition(
            "predict", grammar: CommandGrammar(modelOnData), documentation: "Predicted classes (or values) for the data's test split.",
            example: "predict model on mnist.test[0:8]", displaysResult: true, canFollowShow: true) { invocation in
            let model = try modelOperand(invocation)
            let data = try dataOperand(invocation, forEvaluation: true)
            return try withModelErrors(model, invocation, activity: "predicting") {
                let classes = try LossSelection.loss(for: model.model, data: data, requested: model.trainedLoss) != .meanSquaredError
                return .object(PredictionObject(try Training.predict(model.model, on: data, loss: model.trainedLoss), data: data, classes: classes))
            }
        })
        registry.register(CommandDefinition("seed", grammar: CommandGrammar([.operand("N")]), documentation: "Makes every later random draw repeatable.",
                                            example: "seed 0") { invocation in
            guard case .number(let number) = invocation["n"], number >= 0, number == number.rounded(), number < 1e18 else {
                throw HostError("seed needs a whole number ≥ 0, got \(invocation["n"].quotedDescription)", argument: "n")
            }
            GlobalRandom.seed(UInt64(number))
            return .none
        })
        registerBridgeCommands(in: registry)
        registry.register(CommandDefinition("plot", grammar: CommandGrammar([.operands("HISTORY", optional: false)]),
                                            documentation: "Draws loss and accuracy per epoch.", example: "plot history") { invocation in
            invocation.sink.emit(.plot(try plot(invocation)))
            return .none
        })
    }

    /// `MODEL on DATA`, the operands of train, evaluate, predict, step, gradcheck and confusion.
    static let modelOnData: [CommandGrammar.Part] = [.operand("MODEL"), .word("on"), .operand("DATA")]

    /// The clauses of train and step: the shared ones plus `extra` ("epochs" for train, "verbose" for step).
    /// Their defaults are DESIGN.md §3's: 1 epoch, batch 64, adam, lr 0.001, the loss from the data.
    static func trainingClauses(including extra: [String]) -> [ClauseDefinition] {
        let count = NumberRule.wholeNumber(atLeast: 1)
        var clauses = [ClauseDefinition("batch", .value(placeholder: "N", example: "64"), default: .number(64), rule: count),
                       ClauseDefinition("lr", .value(placeholder: "X", example: "0.001"), default: .number(0.001), rule: .positive()),
                       ClauseDefinition("optimizer", .symbol(choices: OptimizerKind.allCases.map(\.rawValue)), default: .string(OptimizerKind.adam.rawValue)),
                       ClauseDefinition("loss", .symbol(choices: Loss.allCases.map(\.rawValue))),
                       ClauseDefinition("momentum", .value(placeholder: "X", example: "0.9"), default: .number(0),
                                        rule: NumberRule("a number in [0, 1)") { $0 >= 0 && $0 < 1 })]
        if extra.contains("epochs") {
            clauses.insert(ClauseDefinition("epochs", .value(placeholder: "N", example: "5"), default: .number(1), rule: count), at: 0)
        }
        if extra.contains("verbose") { clauses.append(ClauseDefinition("verbose", .flag)) }
        return clauses
    }

    static func modelOperand(_ invocation: CommandInvocation) throws -> ModelObject {
        let value = invocation["model"]
        if case .object(let model as ModelObject) = value { return model }
        if case .object(let instance as InstanceObject) = value {
            guard let model = ModuleParts.model(of: instance, calledAt: invocation.span) else {
                throw HostError("\(invocation.keyword) needs a model, and this \(instance.typeName) holds no weights",
                                hint: "a class is a model when __init__ sets layers or tensors with grad: true on self, e.g. self.fc = linear(4, 2)",
                                argument: "model")
            }
            return model
        }
        if case .object(let layer as LayerObject) = value {
            return ModelObject(try hosted { try Sequential([layer.layer]) })
        }
        throw HostError("\(invocation.keyword) needs a model, got \(value.typeName) \(value.shortDescription)",
                        hint: "make one first, e.g. model = cnn() or model = mlp(784, 128, 10)", argument: "model")
    }

    /// The data of `train … on DATA`: a dataset (its train or test split) or a tuple (x, y).
    static func dataOperand(_ invocation: CommandInvocation, forEvaluation: Bool) throws -> Dataset {
        let value = invocation["data"]
        switch value {
        case .object(let data as DatasetObject): return forEvaluation ? data.evaluationData : data.trainingData
        case .tuple(let items) where items.count == 2:
            guard case .object(let x as TensorObject) = items[0], case .object(let y as TensorObject) = items[1] else {
                throw HostError("\(invocation.keyword): the tuple must hold two tensors (inputs, targets)", argument: "data")
            }
            return try hosted { try Dataset(name: "(x, y)", inputs: x.tensor, targets: y.tensor) }
        default:
            let call = invocation.text(of: "data") ?? "the function"
            throw HostError("\(invocation.keyword) needs data: a dataset such as mnist, or a tuple (x, y) of tensors; got \(value.typeName) \(value.shortDescription)",
                            hint: { if case .function = value { return "\(call) makes a dataset when called: write \(call)()" } else { return nil } }(),
                            argument: "data")
        }
    }

    /// Runs model code; a model error at a known layer points at that layer's source.
    static func withModelErrors<T>(_ model: ModelObject, _ invocation: CommandInvocation, activity: String, _ body: () throws -> T) throws -> T {
        do {
            return try hosted(body)
        } catch let error as HostError where error.element != nil {
            throw model.diagnostic(error, during: invocation.span, activity: activity)
        }
    }

    private static func plot(_ invocation: CommandInvocation) throws -> Plot {
        var histories: [HistoryObject] = []
        for (index, value) in invocation.arguments.rest.enumerated() {
            guard case .object(let history as HistoryObject) = value else {
                throw HostError("plot draws training histories (h = train model on data), got \(value.typeName)", argument: "#\(index)")
            }
            histories.append(history)
        }
        var plot = histories[0].plot
        if histories.count > 1 {
            // Several histories: one line each, named by what was written (e.g. sgd_history).
            let names = histories.indices.map { invocation.arguments.span(for: "#\($0)")?.text ?? "history \($0 + 1)" }
            plot.panels = plot.panels.indices.map { panel in
                (plot.panels[panel].yLabel, histories.enumerated().flatMap { number, history in
                    history.plot.panels.indices.contains(panel) ? history.plot.panels[panel].series.map { Series(name: names[number], points: $0.points, limits: $0.limits) } : []
                })
            }
            let spans = histories.compactMap(\.plot.xCovers)
            plot.xCovers = spans.isEmpty ? nil : 0...spans.map(\.upperBound).max()!
        }
        return plot
    }
}

/// What `predict` returns: a tensor of predictions that remembers the data they were made for
/// (so `show` can draw digits with true and predicted labels).
final class PredictionObject: TensorObject, @unchecked Sendable {
    let data: Dataset
    /// Whether the predictions are class indices (printed as integers) rather than regression values.
    let classes: Bool

    init(_ predictions: Tensor, data: Dataset, classes: Bool) {
        self.data = data
        self.classes = classes
        super.init(predictions)
    }

    override var summary: String { tensor.elementCount <= 8 ? TensorFormatting.describe(tensor, classes: classes) : super.summary }

    override func display() -> [DisplayValue] { [.text(TensorFormatting.describe(tensor, classes: classes))] }

    override func show() -> [DisplayValue] {
        guard data.rawBytes(at: 0) != nil, tensor.rank == 1, data.count <= 32 else { return super.show() }
        let classes = tensor.scalars.map { Int($0) }
        let correct = (0..<data.count).filter { data.classIndex(at: $0) == classes[$0] }.count
        return [.images(DatasetObject.images(of: data, predictions: classes)),
                .text("\(correct) of \(data.count) predicted correctly (caption: true label, → prediction when wrong)")]
    }
}
