import CDNNL
import Foundation

/// One oneDNN CPU engine and its in-order stream, and the layout and kernel choices
/// (`BackendConfiguration`) every primitive and activation made with it follows. Every primitive of
/// a network shares one context. Not thread-safe: one forward pass at a time.
public final class DNNLContext {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    public let configuration: BackendConfiguration
    /// What the network built on this context actually did, for the summary line.
    var record = BackendRecord()
    /// The scratch memory its Winograd layers share (they run one at a time).
    let winogradScratch = WinogradScratch()

    public init(configuration: BackendConfiguration = .automatic) throws(InferenceError) {
        self.configuration = configuration
        var engine: dnnl_engine_t?
        try dnnlCheck(dnnl_engine_create(&engine, dnnl_cpu, 0), "create the CPU engine")
        var stream: dnnl_stream_t?
        try dnnlCheck(dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)), "create a stream")
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// Waits until all submitted primitives have finished.
    func wait() throws(InferenceError) {
        try dnnlCheck(dnnl_stream_wait(stream), "wait for the stream")
    }

    /// Sets the number of OpenMP threads oneDNN uses (process-wide). `nil` keeps the default
    /// (all cores, or OMP_NUM_THREADS).
    public static func setThreadCount(_ count: Int) {
        cdnnl_set_num_threads(Int32(count))
    }

    /// The number of threads oneDNN will use.
    public static var threadCount: Int { Int(cdnnl_get_max_threads()) }
}

/// Throws `InferenceError` for any status but success, naming what was attempted.
func dnnlCheck(_ status: dnnl_status_t, _ what: @autoclosure () -> String) throws(InferenceError) {
    guard status != dnnl_success else { return }
    throw InferenceError("oneDNN could not \(what()) (status \(status.rawValue))")
}

/// What building a network on a context did, where it departs from the configuration.
struct BackendRecord {
    /// Primitives created with post-ops.
    var primitivesWithPostOps = 0
    /// Of those, primitives whose post-ops run as separate primitives.
    var separatedPostOps = 0
    /// Primitives on an implementation after the first oneDNN offered (whose creation failed).
    var laterImplementations = 0
    /// The channel blocks of the activations built (1: NHWC).
    var blocks: Set<Int> = []

    /// The blocked layout the activations use ("nChw16c", "nChw8c"), or "nhwc" when none is blocked.
    var layoutName: String { Activation.layoutName(block: blocks.max() ?? 1) }
    /// 3x3 convolutions run by the Winograd kernels, and by oneDNN.
    var winogradConvolutions = 0
    var directConvolutions = 0
    /// The Winograd output tiles used (2, 4).
    var winogradTiles: Set<Int> = []

    /// How a network built on a context runs there, e.g. "cpu: avx2, 2 threads; nChw8c; 3x3 convolutions: winograd
    /// (avx2 kernels, F(2x2,3x3)) 40, oneDNN direct 1; post-ops fused". The layout and the counts are what building the network
    /// recorded (the blocked layout of the activations built).
    func summary(configuration: BackendConfiguration) -> String {
        let record = self
        let tiles = record.winogradTiles.sorted().map { "F(\($0)x\($0),3x3)" }.joined(separator: " and ")
        let kernels = configuration.winograd.map { "\($0) kernels\(configuration.wideProduct ? ", 12x32 block" : ""), \(tiles)" } ?? ""
        var convolutions: String
        switch (record.winogradConvolutions, record.directConvolutions) {
        case (0, _): convolutions = "oneDNN direct"
        case (_, 0): convolutions = "winograd (\(kernels))"
        case (let winograd, let direct): convolutions = "winograd (\(kernels)) \(winograd), oneDNN direct \(direct)"
        }
        var postOps = record.separatedPostOps == 0 ? "fused"
            : "\(record.separatedPostOps) of \(record.primitivesWithPostOps) run separately\(configuration.fusePostOps ? " (not implemented fused on this CPU, or wrong there)" : "")"
        if record.laterImplementations > 0 {
            postOps += "; \(record.laterImplementations) primitive(s) on a later oneDNN implementation (the first failed to build)"
        }
        let layout = record.layoutName
        let threads = DNNLContext.threadCount
        // How idle OpenMP threads wait (`OMP_WAIT_POLICY`, else libgomp's `GOMP_SPINCOUNT`; the
        // command line sets GOMP_SPINCOUNT=1000 unless either is given).
        let environment = ProcessInfo.processInfo.environment
        let policy = if let wait = environment["OMP_WAIT_POLICY"], !wait.isEmpty { wait.lowercased() + " wait" }
            else if let spins = environment["GOMP_SPINCOUNT"] { "spin \(spins) then wait" }
            else { "OpenMP's default wait" }
        return "cpu: \(InstructionSet.current.name), \(threads) thread\(threads == 1 ? "" : "s, " + policy); \(layout); "
            + "3x3 convolutions: \(convolutions); post-ops \(postOps)"
    }
}
