import CDNNL

/// One oneDNN CPU engine and its in-order stream, and the layout and kernel choices
/// (`BackendConfiguration`) every primitive and activation made with it follows. Every primitive of
/// a network shares one context. Not thread-safe: one forward pass at a time.
public final class DNNLContext {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    public let configuration: BackendConfiguration
    /// What the network built on this context actually did, for the summary line.
    var record = BackendRecord()

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
}
