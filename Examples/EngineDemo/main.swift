// A real training run through the engine alone: a 2-64-64-3 network learns three interleaved
// spirals from scratch with Adam, using only Tensor operations and backward().
import Foundation
import TensorEngine

/// Three spiral arms of `perClass` noisy points each, labelled 0, 1, 2.
func spirals(perClass: Int, generator: inout RandomGenerator) throws -> (points: Tensor, labels: Tensor) {
    var points: [Float] = [], labels: [Float] = []
    for arm in 0..<3 {
        for i in 0..<perClass {
            let radius = Float(i) / Float(perClass)
            let angle = Float(arm) * 4 + radius * 4 + 0.2 * generator.nextNormal()
            points += [radius * sin(angle), radius * cos(angle)]
            labels.append(Float(arm))
        }
    }
    return (try Tensor(shape: [3 * perClass, 2], scalars: points), Tensor(labels))
}

/// A weight matrix and bias initialised as torch.nn.Linear: U(−1/√in, 1/√in).
func linearParameters(_ inputs: Int, _ outputs: Int) throws -> [Tensor] {
    let bound = 1 / Float(inputs).squareRoot()
    let weight = try Tensor.rand([outputs, inputs], low: -bound, high: bound)
    let bias = try Tensor.rand([outputs], low: -bound, high: bound)
    return [weight, bias]
}

GlobalRandom.seed(0)
var generator = RandomGenerator(seed: 0)
let (points, labels) = try spirals(perClass: 200, generator: &generator)
let parameters = try linearParameters(2, 64) + linearParameters(64, 64) + linearParameters(64, 3)
for parameter in parameters { parameter.requiresGrad = true }

func logits(_ x: Tensor, _ parameters: [Tensor]) throws -> Tensor {
    var h = x
    for layer in 0..<3 {
        h = try h.matmul(parameters[2 * layer], transposingOther: true) + parameters[2 * layer + 1]
        if layer < 2 { h = h.relu() }
    }
    return h
}

// Adam (lr 0.01, β = 0.9, 0.999), written out with the same formulas as torch.optim.Adam.
var firstMoments = parameters.map { Tensor.zeros($0.shape) }
var secondMoments = parameters.map { Tensor.zeros($0.shape) }
let (learningRate, beta1, beta2, epsilon): (Float, Float, Float, Float) = (0.01, 0.9, 0.999, 1e-8)

print("Training a 2-64-64-3 network on 600 spiral points (full batch, Adam lr \(learningRate))")
for step in 1...400 {
    let loss = try logits(points, parameters).crossEntropy(targets: labels)
    try loss.backward()
    try GradientMode.withoutRecording {
        for (index, parameter) in parameters.enumerated() {
            let gradient = parameter.grad!
            firstMoments[index] = try firstMoments[index] * beta1 + gradient * (1 - beta1)
            secondMoments[index] = try secondMoments[index] * beta2 + gradient.squared() * (1 - beta2)
            let mHat = firstMoments[index] / (1 - pow(beta1, Float(step)))
            let vHat = secondMoments[index] / (1 - pow(beta2, Float(step)))
            let update = try (mHat * learningRate) / (vHat.sqrt() + epsilon)
            parameter.updateScalars { w in update.withUnsafeScalars { u in for i in w.indices { w[i] -= u[i] } } }
            parameter.zeroGrad()
        }
    }
    if step == 1 || step % 50 == 0 {
        let predicted = try GradientMode.withoutRecording { try logits(points, parameters).argmax(axis: 1) }
        let accuracy = try predicted.equal(labels).mean().item()
        print(String(format: "step %3d  loss %.4f  accuracy %5.1f%%", step, try loss.item(), accuracy * 100))
    }
}
