import Foundation
import GoldenSupport
import Inference
import SegevalTestSupport
import Testing

/// The golden cases at every instruction-set level this machine has: each level is reproduced by
/// `ONEDNN_MAX_CPU_ISA`, which caps oneDNN and segeval's own kernels alike, in a fresh process
/// (`segeval-golden-check`; oneDNN reads the variable once per process). Each run must report
/// the capped level and meet the golden tolerances, with fused and with separate post-ops, and
/// in the other level's channel-block layout (AVX-512's 16 below it, AVX2's 8 on it).
@Suite("Golden cases at every instruction-set level (ONEDNN_MAX_CPU_ISA)")
struct InstructionSetLevelTests {
    /// oneDNN's cap values with their ISA bits, lowest first.
    static let caps: [(name: String, bits: UInt32)] = [
        ("SSE41", 0x1), ("AVX", 0x3), ("AVX2", 0x7), ("AVX512_CORE", 0x27), ("AVX512_CORE_VNNI", 0x67),
        ("AVX512_CORE_BF16", 0xe7), ("AVX512_CORE_AMX", 0x3e7),
    ]

    static let runner: String = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("segeval-golden-check").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return SharedData.packageRoot + "/.build/debug/segeval-golden-check"
    }()

    /// Starts the runner with `ONEDNN_MAX_CPU_ISA=cap` (nil: unset).
    static func start(cap: String?, arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: runner)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ONEDNN_MAX_CPU_ISA"] = cap
        for name in ["SEGEVAL_LAYOUT", "SEGEVAL_CONV", "SEGEVAL_POST_OPS"] { environment[name] = nil }
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    static func finish(_ started: (Process, Pipe, Pipe), label: String) throws -> GoldenReport {
        let (process, output, error) = started
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(label): exit \(process.terminationStatus): \(errors)")
        return try JSONDecoder().decode(GoldenReport.self, from: data)
    }

    @Test("each cap from SSE41 up to this CPU's level, and none: reported as capped, within the golden tolerances")
    func everyLevel() throws {
        // The machine's own level: the runner without a cap.
        let machine = try Self.finish(try Self.start(cap: nil, arguments: ["--variant", "automatic", "fixture"]), label: "no cap")
        let caps = Self.caps.filter { machine.isaBits & $0.bits == $0.bits }
        print("this CPU: \(machine.isa) (kernels \(machine.kernels)); levels tested: \(caps.map(\.name).joined(separator: ", ")), none")
        #expect(caps.map(\.name).starts(with: ["SSE41"]) || machine.isaBits == 0, "an x86-64 CPU with SSE4.1 at least")

        let small = ["fixture", "classes-fixture", "small"].filter { GoldenCase.named($0)!.isAvailable }
        let full = GoldenCase.sharedFull.isAvailable ? ["full"] : []
        // The Inf-Net family: Inf-Net and the multi-class U-Net at 352x352 (one process per level).
        let infNet = [GoldenCase.sharedInfNet, GoldenCase.sharedInfNetMultiClass].filter(\.isAvailable).map(\.name)
        if full.isEmpty { print("skipped: ../shared/golden is not present (fresh clone): the fixture only; the shared goldens run in CI") }
        var levels: [(label: String, cap: String?, bits: UInt32)] = caps.map { ($0.name, $0.name, $0.bits) }
        levels.append(("none", nil, machine.isaBits))
        // Two processes at a time (the machine's cores); each level is one process for the small
        // cases and variants, one for the full case.
        var pending: [(label: String, bits: UInt32, arguments: [String], cap: String?)] = []
        for level in levels {
            let otherLayout = level.bits & 0x27 == 0x27 ? "nChw8c" : "nChw16c"
            pending.append((level.label, level.bits, ["--variant", "automatic", "--variant", "separate-post-ops", "--variant", otherLayout] + small, level.cap))
            if !full.isEmpty { pending.append((level.label, level.bits, ["--variant", "automatic"] + full, level.cap)) }
            if !infNet.isEmpty { pending.append((level.label, level.bits, ["--variant", "automatic"] + infNet, level.cap)) }
        }
        // The Inf-Net family with separate post-ops. (Its other channel-block layout is
        // InfNetGoldenTests' layout test, at 64x64: at 352 oneDNN's reference kernels would take
        // minutes where the layout is not the CPU's own.)
        if !infNet.isEmpty { pending.append(("none", machine.isaBits, ["--variant", "separate-post-ops"] + infNet, nil)) }
        var checked = 0
        while !pending.isEmpty {
            let batch = pending.prefix(2)
            pending.removeFirst(batch.count)
            let started = try batch.map { try Self.start(cap: $0.cap, arguments: $0.arguments) }
            for (job, process) in zip(batch, started) {
                let report = try Self.finish(process, label: job.label)
                #expect(report.isaBits == job.bits, "\(job.label): oneDNN reports \(report.isa) (\(report.isaBits))")
                let expectedKernels = job.bits & 0x27 == 0x27 ? "avx512" : job.bits & 0x7 == 0x7 ? "avx2" : job.bits & 0x3 == 0x3 ? "avx" : "portable"
                #expect(report.kernels == expectedKernels, "\(job.label): kernels \(report.kernels)")
                for run in report.runs {
                    print("\(job.label) \(run.golden) \(run.variant.rawValue): prob \(run.result.probability), aux max \(run.result.aux.max() ?? 0); \(run.result.backend)")
                    #expect(run.result.withinTolerances, "\(job.label) \(run.golden) \(run.variant.rawValue): \(run.result)")
                    #expect(run.result.backend.hasPrefix("cpu: \(report.isa),"), "\(run.result.backend)")
                    checked += 1
                }
            }
        }
        #expect(checked == levels.count * (3 * small.count + full.count + infNet.count) + infNet.count)
    }
}
