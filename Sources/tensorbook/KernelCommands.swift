import ArgumentParser
import Builtins
import Display
import Foundation
import Kernel
import Language
import Terminal
import Training

/// `tensorbook kernel`: the Jupyter kernel, and `kernel install` for its kernelspec.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Run as a Jupyter kernel (JupyterLab, Notebook, VS Code, nbclient, papermill).",
        subcommands: [Start.self, Install.self], defaultSubcommand: Start.self)

    /// `tensorbook kernel --connection-file F`: how Jupyter starts the kernel.
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Serve the Jupyter protocol on the ports a connection file names.")

        @Option(help: "The connection file Jupyter wrote (ports and signing key).") var connectionFile: String
        @Option(help: "Seed every random draw.") var seed: UInt64?

        func run() throws {
            let kernel: Kernel
            do throws(KernelError) {
                let connection = try ConnectionInfo(contentsOf: connectionFile)
                let session = Session(registry: Builtins.makeRegistry(), sink: CollectingSink(), seed: seed)
                let host = Kernel.Host(version: Tensorbook.version, pictures: PNGPictures(), interrupt: { Interrupt.request(.kernelInterrupt) },
                                       log: { FileOutput(fileDescriptor: 2).write($0 + "\n") })
                kernel = try Kernel(connection: connection, session: session, host: host)
            } catch {
                FileOutput(fileDescriptor: 2).write(error.description + "\n")
                throw ExitCode(64)
            }
            installInterruptHandler()
            throw ExitCode(kernel.run())
        }

        /// SIGINT (how older front ends interrupt) stops the running cell, never the kernel.
        func installInterruptHandler() {
            SignalHandling.handle(SIGINT, restart: true) { _ in Interrupt.request(.kernelInterrupt) }
        }
    }

    /// `tensorbook kernel install [--user | --prefix P | --sys-prefix]`.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the kernelspec where `jupyter kernelspec list` finds it (default: --user).")

        @Flag(help: "Install for this user (~/.local/share/jupyter).") var user = false
        @Option(help: "Install under PREFIX/share/jupyter (a virtualenv, a conda env, a test's directory).") var prefix: String?
        @Flag(help: "Install into the prefix of the python3 on PATH (its share/jupyter).") var sysPrefix = false

        func validate() throws {
            if [user, prefix != nil, sysPrefix].filter({ $0 }).count > 1 {
                throw ValidationError("choose one of --user, --prefix and --sys-prefix")
            }
            if let prefix, prefix.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--prefix needs a folder (an empty one would install into /share/jupyter); for this user, leave it out")
            }
        }

        func run() throws {
            let base: String
            if let prefix { base = prefix + "/share/jupyter" }
            else if sysPrefix { base = try Self.pythonPrefix() + "/share/jupyter" }
            else { base = (ProcessInfo.processInfo.environment["XDG_DATA_HOME"] ?? NSHomeDirectory() + "/.local/share") + "/jupyter" }
            let directory = base + "/kernels/tensorbook"
            try KernelSpec.write(to: directory, executable: Self.executablePath())
            FileOutput(fileDescriptor: 1).write("installed the tensorbook kernelspec in \(directory)\n")
        }

        /// This binary's absolute path (what kernel.json's argv starts with).
        static func executablePath() -> String {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        }

        /// `sys.prefix` of the python3 on PATH.
        static func pythonPrefix() throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            do { try process.run() } catch { throw ValidationError("--sys-prefix needs python3 on PATH: \(error)") }
            process.waitUntilExit()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard process.terminationStatus == 0, !text.isEmpty else { throw ValidationError("python3 did not say its sys.prefix") }
            return text
        }
    }
}

/// The kernelspec: kernel.json and two logos.
enum KernelSpec {
    /// Writes the spec into `directory`, starting the kernel with `executable`.
    static func write(to directory: String, executable: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let spec: [String: Any] = [
            "argv": [executable, "kernel", "--connection-file", "{connection_file}"],
            "display_name": "tensorbook", "language": "tensorbook", "interrupt_mode": "message",
            "metadata": ["debugger": false],
        ]
        let json = try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try json.write(to: URL(fileURLWithPath: directory + "/kernel.json"))
        for size in [32, 64] { try PNGEncoder.write(logo(size: size), to: directory + "/logo-\(size)x\(size).png") }
    }

    /// A 4×4 grid of shaded cells, like a tensor's values, on an orange tile.
    static func logo(size: Int) -> Bitmap {
        var bitmap = Bitmap(width: size, height: size, channels: 3, fill: [238, 108, 38])
        let margin = size / 8, cell = (size - 2 * margin) / 4
        let shades: [UInt8] = [255, 190, 120, 230, 90, 250, 170, 60, 200, 140, 255, 110, 70, 220, 150, 240]
        for row in 0..<4 {
            for column in 0..<4 {
                let shade = shades[row * 4 + column]
                for y in 1..<cell { for x in 1..<cell { bitmap.set(margin + column * cell + x, margin + row * cell + y, [shade, shade, shade]) } }
            }
        }
        return bitmap
    }
}
