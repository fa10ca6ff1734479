import Kernels
import Foundation

/// This CPU's fp32 limit, for "% of this machine's peak" in `train`'s timed cost line: cores ×
/// FLOP per cycle per core (two FMA pipes: 64 with 512-bit ones, 32 with AVX2 and FMA or with
/// AMD's Zen 4, which runs AVX-512 on 256-bit pipes, 16 otherwise) × clock (the kernel's maximum
/// frequency if it tells one, else the highest `cpu MHz`).
public struct MachinePeak: Sendable, Equatable {
    /// Cores the engine uses.
    public var cores: Int
    /// Single-precision FLOP per cycle per core.
    public var flopsPerCycle: Int
    /// Clock in GHz.
    public var gigahertz: Double

    /// GFLOP/s.
    public var gigaflops: Double { Double(cores * flopsPerCycle) * gigahertz }

    /// "2 cores × 32 FLOP/cycle × 2.45 GHz"
    public var derivation: String { "\(cores) cores × \(flopsPerCycle) FLOP/cycle × \(String(format: "%.2f", gigahertz)) GHz" }

    /// The limit of the machine this process runs on (read once).
    public static let current = MachinePeak(
        cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "",
        maximumKilohertz: (try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding: .utf8))
            .flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
        cores: Parallel.threadCount)

    /// The limit described by a `/proc/cpuinfo` text, an optional cpufreq maximum and a core count.
    public init(cpuinfo: String, maximumKilohertz: Double?, cores: Int) {
        let lines = cpuinfo.split(separator: "\n")
        let flags = Set(lines.first { $0.hasPrefix("flags") }.map { $0.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [] } ?? [])
        let family = lines.first { $0.hasPrefix("cpu family") }.flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        let isAMD = lines.contains { $0.hasPrefix("vendor_id") && $0.hasSuffix("AuthenticAMD") }
        // AMD families below 26 (0x1A, Zen 5) split each 512-bit operation over two 256-bit halves.
        let fullWidthAVX512 = flags.contains("avx512f") && !(isAMD && (family ?? 0) < 26)
        flopsPerCycle = fullWidthAVX512 ? 64 : flags.contains("avx2") && flags.contains("fma") ? 32 : 16
        let megahertz = lines.filter { $0.hasPrefix("cpu MHz") }.compactMap { Double($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }.max()
        gigahertz = maximumKilohertz.map { $0 / 1e6 } ?? megahertz.map { $0 / 1000 } ?? 3.0
        self.cores = max(1, cores)
    }
}
