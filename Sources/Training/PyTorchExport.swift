import Datasets
import Foundation
import NeuralNetworks
import TensorEngine

/// `export model to "model.py"` (DESIGN.md §8): a PyTorch program a person could have written —
/// the model as an `nn.Module` whose `state_dict` names are the ones `save` writes, `load_weights`
/// and `save_weights` for safetensors files, and a `main()` that trains as the model's last `train`
/// did (loss, optimizer, learning rate, batch, epochs, data), on one process or data-parallel under
/// `torchrun` (DistributedDataParallel with a DistributedSampler; gloo on CPU, nccl on GPU).
public struct PyTorchExport {
    public let model: Sequential
    /// The model's nn.Module when it was written as a class (its code translated by the caller,
    /// ending in `class Model`); nil for a model of layers, written here.
    public let moduleCode: String?
    public let recipe: TrainingRecipe
    /// Whether the recipe is the model's own (false: DESIGN.md §3's defaults for an untrained model).
    public let trained: Bool
    public let scriptPath: String
    private let data: PyTorchDataSource

    /// An export of `model` to `scriptPath`; relative data paths resolve against `workingDirectory`.
    public init(model: Sequential, moduleCode: String? = nil, recipe: TrainingRecipe, trained: Bool, scriptPath: String, workingDirectory: String) throws(TrainingError) {
        guard scriptPath.hasSuffix(".py") else {
            throw TrainingError("export writes a Python file, so its name must end in .py: got '\(scriptPath)'",
                                hint: "for example: export model to \"model.py\"")
        }
        (self.model, self.moduleCode, self.recipe, self.trained, self.scriptPath) = (model, moduleCode, recipe, trained, scriptPath)
        let vocabulary = String(scriptPath.dropLast(3)) + ".vocabulary.json"
        data = PyTorchDataSource(recipe: recipe, workingDirectory: workingDirectory, vocabularyPath: vocabulary)
    }

    /// The loss a script trains an untrained model with: cross entropy for several outputs, else MSE.
    public static func defaultLoss(for model: Sequential) throws -> Loss {
        guard let input = model.inputShape else { return .crossEntropy }
        return try model.outputShape(for: input).elementCount > 1 ? .crossEntropy : .meanSquaredError
    }

    /// Files written beside the script (the movie reviews' vocabulary and split).
    public var companionFiles: [(path: String, contents: String)] {
        (try? data.companionFiles()) ?? []
    }

    /// Writes the script and its companion files.
    public func write() throws(TrainingError) {
        let files = [(scriptPath, try script())] + (try data.companionFiles())
        for (path, contents) in files {
            do {
                try contents.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw TrainingError("export: cannot write '\(path)': \(error.localizedDescription)", hint: "check that the folder exists and is writable")
            }
        }
    }

    /// Whether the file at `path` is a script `export` wrote (its docstring says so): only its
    /// start is read. False for any other file, or none.
    public static func isWrittenByTensorbook(atPath path: String) -> Bool {
        guard RegularFile.exists(at: path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = String(decoding: (try? handle.read(upToCount: 512)) ?? Data(), as: UTF8.self)
        return start.contains("(written by tensorbook's `export`)")
    }

    /// The whole script.
    public func script() throws(TrainingError) -> String {
        [header, Self.imports, moduleCode ?? PyTorchModuleSource(model: model).code, Self.weightFunctions, try data.code(), training, Self.main]
            .joined(separator: "\n\n\n") + "\n"
    }

    private var name: String { ((scriptPath as NSString).lastPathComponent as NSString).deletingPathExtension }

    private var header: String {
        let how = "\(recipe.optimizer) (lr \(recipe.learningRate)\(recipe.momentum == 0 ? "" : ", momentum \(recipe.momentum)")), batch \(recipe.batchSize), \(recipe.epochs) epoch\(recipe.epochs == 1 ? "" : "s"), \(recipe.loss) loss"
        let origin = PythonText.docstring(trained
            ? "Last trained in tensorbook with \(how)\(recipe.data.map { ", on \($0.name)" } ?? ""); main() trains the same way."
            : "Never trained in tensorbook: main() uses tensorbook's defaults (\(how)) and needs a dataset in load_data().")
        let name = PythonText.docstring(self.name)
        return """
            \"\"\"\(name).py: a tensorbook model as a PyTorch program (written by tensorbook's `export`).

            \(origin)

                python3 \(name).py                          train on the CPU
                python3 \(name).py --device cuda            train on a GPU
                torchrun --nproc_per_node 2 \(name).py      data-parallel over 2 processes (DistributedDataParallel;
                                                          gloo on the CPU, nccl on GPUs); each process takes
                                                          batch / processes examples, so a step sees the same
                                                          batch as one process; rank 0 prints and saves
                python3 \(name).py --weights \(name).safetensors --epochs 0
                                                          evaluate weights saved by tensorbook

            Elsewhere: model = Model(); load_weights(model, "\(name).safetensors"). Back to tensorbook:
            save_weights(model, "w.safetensors"), then in tensorbook: load "w.safetensors" into model
            \"\"\"
            """
    }

    private static let imports = """
        import argparse
        import csv
        import gzip
        import json
        import math
        import os
        import time

        import numpy as np
        import torch
        import torch.distributed as dist
        import torch.nn.functional as F
        from safetensors.torch import load_file, save_file
        from torch import nn
        from torch.nn.parallel import DistributedDataParallel
        from torch.utils.data import DataLoader, DistributedSampler, Subset, TensorDataset
        """

    private static let weightFunctions = """
        def load_weights(model, path):
            \"\"\"Copies weights saved by tensorbook's `save` (or by save_weights) into `model`. A checkpoint's
            optimizer state (tensors named optimizer.*) is left out.\"\"\"
            tensors = {name: tensor for name, tensor in load_file(path).items() if not name.startswith("optimizer.")}
            model.load_state_dict(tensors)


        def save_weights(model, path):
            \"\"\"Writes the weights under their state_dict names; tensorbook reads them with: load "PATH" into model\"\"\"
            save_file({name: tensor.detach().cpu().contiguous() for name, tensor in model.state_dict().items()}, path)
        """

    /// The recipe's constants, loss, accuracy and optimizer.
    private var training: String {
        let sequence: Bool
        if case .text? = recipe.data?.source { sequence = true } else { sequence = false }
        let (lossModule, lossLine, correctLine): (String, String, String)
        switch Loss(rawValue: recipe.loss) ?? .crossEntropy {
        case .crossEntropy where sequence:
            (lossModule, lossLine, correctLine) = ("nn.CrossEntropyLoss()", "LOSS(outputs.flatten(0, 1), targets.flatten())",
                                                   "(outputs.argmax(dim=-1) == targets).sum().item()")
        case .crossEntropy:
            (lossModule, lossLine, correctLine) = ("nn.CrossEntropyLoss()", "LOSS(outputs, targets)", "(outputs.argmax(dim=-1) == targets).sum().item()")
        case .binaryCrossEntropy:
            (lossModule, lossLine, correctLine) = ("nn.BCEWithLogitsLoss()", "LOSS(outputs, targets.float().view_as(outputs))",
                                                   "((outputs > 0).long().view_as(targets) == targets).sum().item()")
        case .meanSquaredError:
            (lossModule, lossLine, correctLine) = ("nn.MSELoss()", "LOSS(outputs, targets.float().view_as(outputs))", "None")
        }
        let optimizer: String
        switch recipe.optimizer {
        case "sgd": optimizer = "torch.optim.SGD(parameters, lr=lr\(recipe.momentum == 0 ? "" : ", momentum=\(PythonText.number(recipe.momentum))"))"
        case "adamw": optimizer = "torch.optim.AdamW(parameters, lr=lr, weight_decay=0.01)"
        case "rmsprop": optimizer = "torch.optim.RMSprop(parameters, lr=lr)"
        default: optimizer = "torch.optim.Adam(parameters, lr=lr)"
        }
        return """
            # How tensorbook last trained this model: the defaults of main()'s flags.
            EPOCHS, BATCH, LR = \(recipe.epochs), \(recipe.batchSize), \(PythonText.number(recipe.learningRate))
            LOSS = \(lossModule)  # mean over the batch, as tensorbook's \(PythonText.comment(recipe.loss))
            SAVE = \(PythonText.literal(name + ".pytorch.safetensors"))


            def loss_of(outputs, targets):
                return \(lossLine)


            def correct(outputs, targets):
                \"\"\"How many of the predictions are right (None when accuracy means nothing for this loss).\"\"\"
                return \(correctLine)


            def make_optimizer(parameters, lr):
                return \(optimizer)


            def move_windows(data, seed, epoch):
                \"\"\"For a text: every window moves along by a random offset each epoch, as in tensorbook.\"\"\"
                windows = data.dataset if isinstance(data, Subset) else data
                if hasattr(windows, "largest_offset"):
                    generator = torch.Generator().manual_seed(seed * 1000 + epoch)
                    windows.offset = int(torch.randint(0, windows.largest_offset + 1, (1,), generator=generator))
            """
    }

    private static let main = """
        def evaluate(model, data, device, batch_size=500):
            \"\"\"Mean loss and accuracy (percent, or None) over `data`.\"\"\"
            model.eval()
            total_loss, total_correct, count, examples = 0.0, 0, 0, 0
            with torch.no_grad():
                for x, y in DataLoader(data, batch_size=batch_size):
                    x, y = x.to(device), y.to(device)
                    outputs = model(x)
                    total_loss += loss_of(outputs, y).item() * len(x)
                    right = correct(outputs, y)
                    total_correct, count, examples = total_correct + (right or 0), count + y.numel(), examples + len(x)
            model.train()
            return total_loss / examples, (None if right is None else 100 * total_correct / count)


        def describe(loss, accuracy):
            return f"loss {loss:.4f}" + ("" if accuracy is None else f"  accuracy {accuracy:.2f}%")


        def parse_arguments():
            parser = argparse.ArgumentParser(description=__doc__.split("\\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
            parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
            parser.add_argument("--epochs", type=int, default=EPOCHS)
            parser.add_argument("--batch", type=int, default=BATCH, help="examples per step, over all processes")
            parser.add_argument("--lr", type=float, default=LR)
            parser.add_argument("--seed", type=int, default=0)
            parser.add_argument("--data", default=globals().get("DATA"), help="where the dataset's files are")
            parser.add_argument("--weights", help="start from these weights (a file tensorbook's save wrote)")
            parser.add_argument("--save", default=SAVE, help="where rank 0 writes the trained weights")
            return parser.parse_args()


        def main():
            args = parse_arguments()
            distributed = "WORLD_SIZE" in os.environ  # started by torchrun
            rank, world = 0, 1
            if distributed:
                dist.init_process_group("nccl" if args.device == "cuda" else "gloo")
                rank, world = dist.get_rank(), dist.get_world_size()
            if args.batch % world:
                raise SystemExit(f"--batch {args.batch} does not split evenly over {world} processes")
            device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if args.device == "cuda" else "cpu")
            torch.manual_seed(args.seed)
            model = Model().to(device)
            if args.weights:
                load_weights(model, args.weights)
            train_data, test_data = load_data(args)
            sampler = DistributedSampler(train_data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
            loader = DataLoader(train_data, batch_size=args.batch // world, sampler=sampler)
            trained = DistributedDataParallel(model) if distributed else model
            optimizer = make_optimizer(trained.parameters(), args.lr)
            if rank == 0 and world > 1:
                print(f"{world} processes, {args.batch // world} examples each per step", flush=True)
            for epoch in range(1, args.epochs + 1):
                sampler.set_epoch(epoch)
                move_windows(train_data, args.seed, epoch)
                start, total, steps = time.perf_counter(), 0.0, 0
                for x, y in loader:
                    x, y = x.to(device), y.to(device)
                    loss = loss_of(trained(x), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    total, steps = total + loss.item(), steps + 1
                if rank == 0:
                    seconds = time.perf_counter() - start
                    print(f"epoch {epoch}: train loss {total / steps:.4f} ({seconds:.1f} s); test {describe(*evaluate(model, test_data, device))}", flush=True)
            if rank == 0 and args.epochs == 0:
                print(f"test {describe(*evaluate(model, test_data, device))}", flush=True)
            if rank == 0 and args.epochs > 0:
                save_weights(model, args.save)
                print(f'saved the weights to {args.save}; in tensorbook: load "{args.save}" into model', flush=True)
            if distributed:
                dist.destroy_process_group()


        if __name__ == "__main__":
            main()
        """
}
