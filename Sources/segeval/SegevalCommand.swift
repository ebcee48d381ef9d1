import ArgumentParser
import Foundation
import Output
import Report
#if canImport(Glibc)
import Glibc
#endif

@main
struct Segeval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segeval",
        abstract: "Evaluate COVID-19 lung-infection segmentation exactly as the Inf-Net tables do, and run the co-supervised network.",
        discussion: """
        The default command evaluates prediction maps against ground truth:

          segeval --pred Results/Lung\\ infection\\ segmentation --gt LungInfection-Test/GT

        prints the paper's table (Dice, Sen., Spec., S_alpha, E_phi^mean, MAE) with the numbers the \
        MATLAB toolbox of the Inf-Net paper gives, to the last digit.
        """,
        version: SegevalVersion.string,
        subcommands: [EvaluateCommand.self, MergeCommand.self, PredictCommand.self, ReportCommand.self],
        defaultSubcommand: EvaluateCommand.self
    )

    /// Keeps freed image buffers in the process instead of returning them to the kernel after
    /// every image (each image's arrays would otherwise be unmapped and faulted in again: measured
    /// 1.5 s of system time for 480 pairs with the weighted F-measure).
    static func tuneAllocator() {
        #if canImport(Glibc)
        // glibc's `mallopt` (<malloc.h> is not part of the Glibc module): M_TRIM_THRESHOLD = -1,
        // M_MMAP_THRESHOLD = -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 256 << 20)
        _ = mallopt(-1, 512 << 20)
        #endif
    }

    /// Ctrl-C or SIGTERM: remove the temporary files of writes not yet committed (predict's maps,
    /// report files), clear the progress line, and exit with 128 + the signal number. The handler
    /// runs on a dispatch queue, not in signal context; `_exit` skips the atexit handlers that
    /// would race the worker threads still computing.
    static func installInterruptCleanup() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                StagedFiles.removeAllPending()
                if Terminal.standardErrorIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                _exit(128 + signalNumber)
            }
            source.resume()
            interruptSources.append(source)
        }
    }

    nonisolated(unsafe) private static var interruptSources: [any DispatchSourceSignal] = []

    /// `segeval predict` runs OpenMP (through oneDNN) with `GOMP_SPINCOUNT=1000` unless the user
    /// set it or `OMP_WAIT_POLICY`: an idle OpenMP thread spins briefly (1000 rounds: microseconds,
    /// enough to catch the next primitive of the same forward pass) and then sleeps, instead of
    /// spinning for a long time (libgomp's default), which on a shared machine (a second job, a
    /// cluster node, a container) makes two jobs fight over the cores. Measured (docs/predict.md
    /// "Threads"): beside a second job within 3-6 % of sleeping at once (`OMP_WAIT_POLICY=PASSIVE`,
    /// the earlier default), where long spinning took twice as long; idle, Inf-Net's ~250
    /// primitives per slice run 12 % faster than when every one had to wake a sleeping thread.
    /// libgomp reads the variables once, when it is loaded, before any Swift code runs: so the
    /// process re-executes itself with it set (same PID, same arguments; nothing has run yet).
    static func limitOpenMPSpinning() {
        #if os(Linux)
        let arguments = CommandLine.arguments
        guard arguments.count > 1, arguments[1] == "predict", getenv("OMP_WAIT_POLICY") == nil, getenv("GOMP_SPINCOUNT") == nil
        else { return }
        setenv("GOMP_SPINCOUNT", "1000", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if the re-execution failed: go on, spinning as libgomp does by default.
        #endif
    }

    static func main() {
        limitOpenMPSpinning()
        tuneAllocator()
        installInterruptCleanup()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
