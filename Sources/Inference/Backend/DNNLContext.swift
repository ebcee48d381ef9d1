import CDNNL

/// One oneDNN CPU engine and its in-order stream. Every primitive of a network shares one context.
/// Not thread-safe: one forward pass at a time.
public final class DNNLContext {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t

    public init() throws(InferenceError) {
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
