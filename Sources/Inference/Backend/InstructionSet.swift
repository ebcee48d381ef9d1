import CDNNL
import CKernels

/// The x86 instruction set oneDNN runs on here, as it reports it (`dnnl_get_effective_cpu_isa`:
/// the CPU's best, capped by the environment variable `ONEDNN_MAX_CPU_ISA`), and the level of
/// segeval's own C kernels that follows from it: the CPU's (`ck_kernel_level_supported`), capped
/// by the same instruction set.
/// One variable, `ONEDNN_MAX_CPU_ISA=SSE41|AVX|AVX2|AVX512_CORE|…`, thereby reproduces a smaller
/// machine's whole code path on a bigger one. oneDNN reads the variable once per process, at the
/// first query or primitive.
public struct InstructionSet: Sendable, Equatable {
    /// oneDNN's ISA value: a bit set, each level containing the bits of the levels below it.
    public let bits: UInt32

    /// What this process runs on.
    public static let current = InstructionSet(bits: UInt32(dnnl_get_effective_cpu_isa().rawValue))

    /// The level of segeval's own kernels: the CPU's own, never above what `bits` allows
    /// (`avx512_core` and up allow AVX-512, `avx2` AVX2, `avx` AVX; below, or off x86, portable).
    public var kernels: KernelLevel {
        let allowed: KernelLevel = hasAVX512 ? .avx512 : includes(dnnl_cpu_isa_avx2) ? .avx2 : includes(dnnl_cpu_isa_avx) ? .avx : .portable
        return min(KernelLevel.supportedByCPU, allowed)
    }

    /// oneDNN's own names, highest first (the values of `ONEDNN_MAX_CPU_ISA`, lower-cased).
    static let named: [(name: String, isa: dnnl_cpu_isa_t)] = [
        ("avx512_core_amx", dnnl_cpu_isa_avx512_core_amx), ("avx512_core_bf16", dnnl_cpu_isa_avx512_core_bf16),
        ("avx512_core_vnni", dnnl_cpu_isa_avx512_core_vnni), ("avx512_core", dnnl_cpu_isa_avx512_core),
        ("avx512_mic_4ops", dnnl_cpu_isa_avx512_mic_4ops), ("avx512_mic", dnnl_cpu_isa_avx512_mic),
        ("avx2_vnni", dnnl_cpu_isa_avx2_vnni), ("avx2", dnnl_cpu_isa_avx2), ("avx", dnnl_cpu_isa_avx),
        ("sse41", dnnl_cpu_isa_sse41),
    ]

    /// Whether every feature of oneDNN's `isa` is available.
    public func includes(_ isa: dnnl_cpu_isa_t) -> Bool {
        let wanted = UInt32(isa.rawValue)
        return bits & wanted == wanted
    }

    /// The highest named level included, e.g. "avx2" or "avx512_core_bf16"; "any" below SSE4.1
    /// or on other architectures, where oneDNN reports no x86 level.
    public var name: String {
        Self.named.first { includes($0.isa) }?.name ?? "any"
    }

    /// AVX-512 (oneDNN's `avx512_core`: F, BW, DQ, VL): the level whose kernels want 16-channel blocks.
    public var hasAVX512: Bool { includes(dnnl_cpu_isa_avx512_core) }
}

/// The instruction-set levels segeval's own C kernels are compiled for (`ck_kernel_level`):
/// each is in every x86-64 binary and chosen at run time; other architectures have `portable`.
public enum KernelLevel: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// x86-64 baseline (SSE2) or the target's default vector unit elsewhere (NEON on aarch64).
    case portable = 0
    case avx = 1
    /// AVX2 + FMA.
    case avx2 = 2
    /// AVX-512 F/BW/DQ/VL; its Winograd product uses the wide 12 x 32 register block.
    case avx512 = 3

    init(_ level: ck_kernel_level) {
        self = KernelLevel(rawValue: Int(level.rawValue)) ?? .portable
    }

    /// The highest level the CPU itself runs (cpuid), before any cap.
    static let supportedByCPU = KernelLevel(ck_kernel_level_supported())

    var cLevel: ck_kernel_level { ck_kernel_level(rawValue: UInt32(rawValue)) }

    public var description: String { String(cString: ck_kernel_level_name(cLevel)) }

    /// The levels this process may run (up to `InstructionSet.current.kernels`).
    public static var available: [KernelLevel] { allCases.filter { $0 <= InstructionSet.current.kernels } }

    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }
}
