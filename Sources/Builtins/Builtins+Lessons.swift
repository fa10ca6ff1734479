import Datasets
import Diagnostics
import Display
import Language
import Lessons
import NeuralNetworks
import Training

extension Builtins {
    static func registerLessons(in registry: Registry) {
        registry.register(CommandDefinition(
            "explain", grammar: CommandGrammar([.topic("TOPIC")]),
            documentation: "Explains an algorithm with its formula and real numbers. Topics: \(Topic.allCases.map(\.rawValue).joined(separator: ", ")).",
            example: "explain adam", topics: Topic.allCases.map(\.rawValue)) { try explain($0) })
        registry.register(CommandDefinition(
            "step", grammar: CommandGrammar(modelOnData, clauses: trainingClauses(including: ["verbose"])),
            documentation: "Takes exactly one training step and narrates it, number by number.", example: "step model on mnist",
            canFollowShow: true) { try step($0) })
        registry.register(CommandDefinition(
            "gradcheck", grammar: CommandGrammar(modelOnData),
            documentation: "Compares backpropagated gradients with finite differences for a few weights.", example: "gradcheck model on xor",
            canFollowShow: true) { invocation in
            let model = try modelOperand(invocation)
            let data = try dataOperand(invocation, forEvaluation: false)
            try withModelErrors(model, invocation, activity: "checking gradients") {
                try GradientCheck.run(model.model, on: data, loss: model.trainedLoss).forEach(invocation.sink.emit)
            }
            return .none
        })
        registry.register(CommandDefinition(
            "confusion", grammar: CommandGrammar(modelOnData), documentation: "The confusion matrix of the predictions on the test split.",
            example: "confusion model on mnist", canFollowShow: true) { invocation in
            let model = try modelOperand(invocation)
            let data = try dataOperand(invocation, forEvaluation: true)
            try withModelErrors(model, invocation, activity: "predicting") {
                let predictions = try Training.predict(model.model, on: data, loss: model.trainedLoss)
                ConfusionMatrix.table(predictions: predictions, data: data).forEach(invocation.sink.emit)
            }
            return .none
        })
    }

    private static func explain(_ invocation: CommandInvocation) throws -> Value {
        guard let topicSymbol = invocation.topic else {
            Explanation.topicList().forEach(invocation.sink.emit)
            return .none
        }
        guard let topic = Topic(rawValue: topicSymbol.name) else {
            throw Diagnostic("no explanation for '\(topicSymbol.name)'", at: topicSymbol.span,
                             hint: Suggestions.hint(for: topicSymbol.name, in: Topic.allCases.map(\.rawValue)) ?? "type explain to list the topics")
        }
        let models = invocation.variables.compactMap { name, value -> (name: String, model: Sequential)? in
            if case .object(let object as ModelObject) = value { return (name, object.model) }
            return nil
        }.sorted { $0.name < $1.name }
        try hosted { try Explanation.explain(topic, models: models) }.forEach(invocation.sink.emit)
        return .none
    }

    /// `step MODEL on DATA`: one real step (the model changes), narrated; returns nothing.
    private static func step(_ invocation: CommandInvocation) throws -> Value {
        let model = try modelOperand(invocation)
        let data = try dataOperand(invocation, forEvaluation: false)
        let settings = try TrainSettings(invocation)
        let optimizer = reusableOptimizer(for: model, settings)
        let recorded = try withModelErrors(model, invocation, activity: "taking a step") {
            try Training.recordStep(model.model, on: data, optimizer: optimizer, batchSize: settings.batch, loss: settings.loss ?? model.trainedLoss)
        }
        model.trainedLoss = recorded.loss
        let name = invocation.text(of: "model") ?? "model"
        StepNarration.narrate(recorded, modelName: name, dataName: data.name, verbose: settings.verbose, characters: data.characters)
            .forEach(invocation.sink.emit)
        return .none
    }
}
