import Datasets
import NeuralNetworks
import TensorEngine
import TestSupport
import Testing
import Training

/// Serialized: these tests set the global seed and the global interrupt flag.
@Suite(.serialized) struct TrainingTests {
    @Suite struct Behaviour {
        @Test func xorIsLearnedExactly() throws {
            GlobalRandom.seed(1)
            let model = try Presets.mlp([2, 8, 1])
            let history = try Training.fit(model, on: SyntheticData.xor().train, optimizer: Adam(learningRate: 0.05),
                                           configuration: TrainingConfiguration(epochs: 300, batchSize: 4))
            #expect(history.loss == .binaryCrossEntropy)
            #expect(history.epochs.last!.loss < 0.05 && history.epochs.last!.loss < history.epochs[0].loss)
            #expect(try Training.evaluate(model, on: SyntheticData.xor().test).accuracy == 1)
            #expect(try Training.predict(model, on: SyntheticData.xor().test).scalars == [0, 1, 1, 0])
        }

        @Test func seedMakesTrainingRepeatable() throws {
            func run() throws -> [Float] {
                GlobalRandom.seed(9)
                let data = try SyntheticData.spirals(count: 120)
                let model = try Presets.mlp([2, 16, 3])
                return try Training.fit(model, on: data.train, optimizer: Adam(learningRate: 0.01),
                                        configuration: TrainingConfiguration(epochs: 3, batchSize: 16)).epochs.map(\.loss)
            }
            #expect(try run() == run())
        }

        @Test func nonFiniteLossStopsBeforeTheBadStep() throws {
            GlobalRandom.seed(2)
            let model = try Presets.mlp([10, 8, 1])
            let data = try SyntheticData.randomBinary(count: 640, features: 10).train
            do {
                _ = try Training.fit(model, on: data, optimizer: SGD(learningRate: 1e30),
                                     configuration: TrainingConfiguration(loss: .meanSquaredError))
                Issue.record("expected the loss to blow up")
            } catch let error as TrainingError {
                #expect(error.message.contains("at epoch 1, batch 2 of 10; the model keeps the weights from the step before"))
                #expect(error.hint?.contains("lower the learning rate") == true)
            }
            #expect(model.parameters.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
        }

        @Test func interruptStopsAtABatchBoundaryAndKeepsTheModel() throws {
            GlobalRandom.seed(3)
            let model = try Presets.mlp([10, 8, 1])
            let data = try SyntheticData.randomBinary(count: 640, features: 10)
            // A stop condition of its own, not the process-wide Ctrl-C flag that parallel tests would see.
            nonisolated(unsafe) var stopRequested = false
            let history = try Training.fit(model, on: data.train, optimizer: Adam(), configuration: TrainingConfiguration(epochs: 3),
                                           shouldStop: { stopRequested }) { event in
                if case .batchEnded(let progress) = event, progress.batch == 3 { stopRequested = true }
            }
            guard case .interrupted(let epoch, let batch, let batches, let lastLoss) = history.stop else {
                Issue.record("expected an interrupted history")
                return
            }
            #expect(epoch == 1 && batch == 3 && batches == 10 && lastLoss != nil)
            #expect(history.epochs.count == 1 && history.epochs[0].examples == 192)
            #expect(history.epochs[0].partial == PartialEpoch(batch: 3, batches: 10) && history.epochs[0].position == 0.3)
            #expect(try Training.evaluate(model, on: data.test).count == 128)
        }

        @Test func labelsBeyondTheModelsOutputsAreAnError() throws {
            let model = try Sequential([Flatten(), Presets.mlp([784, 16, 5])])
            #expect {
                _ = try Training.fit(model, on: try MNIST.digits().test, optimizer: Adam())
            } throws: { error in
                (error as? TrainingError)?.message == "mnist.test has labels up to 9, but the model outputs 5 values per example (classes 0 to 4)"
            }
        }

        @Test func lossIsInferredFromDataAndModel() throws {
            let spirals = try SyntheticData.spirals(count: 30)
            #expect(try LossSelection.loss(for: Presets.mlp([2, 4, 3]), data: spirals.train, requested: nil) == .crossEntropy)
            #expect(try LossSelection.loss(for: Presets.mlp([2, 4, 1]), data: SyntheticData.xor().train, requested: nil) == .binaryCrossEntropy)
            let random = try SyntheticData.randomBinary(count: 10, features: 3).train
            #expect(try LossSelection.loss(for: Presets.mlp([3, 4, 1]), data: random, requested: .meanSquaredError) == .meanSquaredError)
            #expect(throws: TrainingError.self) { try LossSelection.loss(for: Presets.mlp([3, 4, 2]), data: random, requested: .meanSquaredError) }
            #expect(throws: TrainingError.self) { try LossSelection.loss(for: Presets.mlp([3, 4, 1]), data: random, requested: .crossEntropy) }
        }

        @Test func costCountsThreeForwardPassesPerExample() throws {
            let model = try Presets.mlp([10, 8, 1])
            let data = try SyntheticData.randomBinary(count: 100, features: 10).train
            let history = try Training.fit(model, on: data, optimizer: Adam(), configuration: TrainingConfiguration(epochs: 2))
            #expect(history.cost.flops == Double(3 * model.forwardFLOPs(for: [10]) * 200))
            #expect(history.cost.seconds > 0 && history.cost.gigaflopsPerSecond > 0)
        }

        @Test func recordedStepHoldsTheRealNumbersAndTakesTheStep() throws {
            GlobalRandom.seed(4)
            let model = try Presets.cnn()
            let adam = Adam()
            let before = model.parameters.map(\.scalars)
            let step = try Training.recordStep(model, on: try MNIST.digits().train, optimizer: adam, batchSize: 8)
            #expect(step.inputs.shape == [8, 1, 28, 28] && step.layers.count == 9 && step.layers[3].output.shape == [8, 3136])
            #expect(step.loss == .crossEntropy && step.lossValue > 2 && step.lossValue < 2.6)
            #expect(step.parameters.count == 8 && step.parameters[0].name == "0.weight" && step.optimizerStep == 1)
            let weight = step.parameters[0]
            #expect(weight.stateBefore.isEmpty && weight.stateAfter["m"] != nil && weight.stateAfter["v"] != nil)
            #expect(weight.after.scalars == model.parameters[0].scalars && weight.before.scalars == before[0])
            #expect(weight.after.scalars != weight.before.scalars)
        }

        @Test func trainingOnAnEmptyDatasetIsAnError() throws {
            let empty = try MNIST.digits().test.slice(start: 0, end: 0)
            #expect(throws: TrainingError.self) { try Training.fit(try Sequential([Flatten(), Presets.mlp([784, 10])]), on: empty, optimizer: Adam()) }
        }
    }

    /// The acceptance figures of the neural-network issue (batch 64, Adam 1e-3).
    ///
    /// One epoch's test accuracy moves by ±0.2 points with the seed, and with the OpenBLAS kernel
    /// for a given seed (seed 0: CNN 96.88 %, LeNet 97.49–97.53 %), so the CNN and LeNet bars sit
    /// inside the noise of a single run (PyTorch's own single runs here: 96.90–97.35 %). They are
    /// checked on the mean of seeds 0–4, with no seed below 96.5 %.
    @Suite(.enabled(if: isOptimizedBuild, "trains on all of MNIST: run optimised, as `make test` does"))
    struct Accuracy {
        func trainOneEpoch(_ model: Sequential, on data: DataSplits) throws -> Float {
            _ = try Training.fit(model, on: data.train, optimizer: Adam())
            return try Training.evaluate(model, on: data.test).accuracy ?? 0
        }

        /// Test accuracies after one epoch from each of seeds 0–4.
        func accuraciesOverFiveSeeds(_ makeModel: () throws -> Sequential) throws -> [Float] {
            let data = try MNIST.digits()
            return try (UInt64(0)..<5).map { seed in
                GlobalRandom.seed(seed)
                return try trainOneEpoch(try makeModel(), on: data)
            }
        }

        func expectMean(_ accuracies: [Float], atLeast bar: Float) {
            let mean = accuracies.reduce(0, +) / Float(accuracies.count)
            #expect(mean >= bar, "test accuracies \(accuracies), mean \(mean)")
            #expect(accuracies.allSatisfy { $0 >= 0.965 }, "test accuracies \(accuracies)")
        }

        @Test func essayCNNAverages97PercentInOneEpoch() throws {
            expectMean(try accuraciesOverFiveSeeds { try Presets.cnn() }, atLeast: 0.970)
        }

        @Test func leNetAverages97Point5PercentInOneEpoch() throws {
            expectMean(try accuraciesOverFiveSeeds { try Presets.lenet() }, atLeast: 0.975)
        }

        @Test func mlpReaches94PercentInOneEpoch() throws {
            GlobalRandom.seed(0)
            let accuracy = try trainOneEpoch(try Sequential([Flatten(), Presets.mlp([784, 128, 10])]), on: try MNIST.digits())
            #expect(accuracy >= 0.94, "test accuracy \(accuracy)")
        }

        @Test func lstmClassifierReaches72PercentOnMovieReviews() throws {
            GlobalRandom.seed(0)
            let reviews = try MovieReviews.load()
            let model = try Presets.lstmClassifier(vocabularySize: reviews.train.vocabulary!.size, embedding: 64, hidden: 128)
            _ = try Training.fit(model, on: reviews.train, optimizer: Adam(), configuration: TrainingConfiguration(epochs: 5))
            let accuracy = try Training.evaluate(model, on: reviews.test).accuracy ?? 0
            #expect(accuracy >= 0.72, "test accuracy \(accuracy)")
        }

        /// The essay's §4.3: the labels are random, so the loss falls but test accuracy stays at chance.
        @Test func essayMLPLearnsNothingGeneralisableFromRandomLabels() throws {
            GlobalRandom.seed(0)
            let data = try SyntheticData.randomBinary(count: 1000, features: 10)
            let model = try Presets.mlp([10, 64, 1])
            let history = try Training.fit(model, on: data.train, optimizer: Adam(),
                                           configuration: TrainingConfiguration(epochs: 100, batchSize: 1000, loss: .meanSquaredError))
            #expect(history.epochs.last!.loss < history.epochs[0].loss)
            let accuracy = try Training.evaluate(model, on: data.test, loss: .meanSquaredError).accuracy ?? 0
            #expect(accuracy > 0.35 && accuracy < 0.65, "test accuracy \(accuracy)")
        }
    }

    /// The limit `train` quotes comes from the CPU: 512-bit FMA pipes double AVX2's FLOP per cycle
    /// (not Zen 4's AVX-512, on 256-bit pipes), and the kernel's maximum frequency wins over the
    /// current `cpu MHz`.
    @Test func machinePeakComesFromTheCPU() {
        let zen3 = "processor\t: 0\ncpu MHz\t\t: 2445.406\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n"
        #expect(MachinePeak(cpuinfo: zen3, maximumKilohertz: 3_500_000, cores: 2).gigahertz == 3.5)
        #expect(abs(MachinePeak(cpuinfo: zen3, maximumKilohertz: nil, cores: 2).gigaflops - 156.5) < 0.1)
        let zen5 = "cpu MHz\t\t: 3000.0\nflags\t\t: fma avx2 avx512f avx512bw\n"
        #expect(MachinePeak(cpuinfo: zen5, maximumKilohertz: 4_200_000, cores: 2).gigaflops == 537.6)
        #expect(MachinePeak(cpuinfo: "flags\t\t: sse2\n", maximumKilohertz: nil, cores: 1).flopsPerCycle == 16)
        let zen4 = "vendor_id\t: AuthenticAMD\ncpu family\t: 25\ncpu MHz\t\t: 2596.134\nflags\t\t: fma avx2 avx512f avx512_bf16\n"
        #expect(MachinePeak(cpuinfo: zen4, maximumKilohertz: nil, cores: 2).flopsPerCycle == 32)
        let amdZen5 = "vendor_id\t: AuthenticAMD\ncpu family\t: 26\nflags\t\t: fma avx2 avx512f\n"
        #expect(MachinePeak(cpuinfo: amdZen5, maximumKilohertz: 4_200_000, cores: 2).flopsPerCycle == 64)
    }
}
