import Foundation

/// A temporary file written piece by piece, through a 1 MiB buffer: a staged output too large to
/// hold in memory (`StagedFiles.stageStream`), or a spool read back once (`StagedFiles.scratch`).
/// Errors name the destination the file stands for.
public final class StagedStream {
    /// The temporary file.
    public let path: String
    /// What errors name.
    public let destination: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var failure: OutputError?

    static let bufferSize = 1 << 20

    init(path: String, naming destination: String) throws(OutputError) {
        self.path = path
        self.destination = destination
        descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputError(path: destination, reason: .cannotWrite(String(cString: strerror(errno)))) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// Writes to an open descriptor that this stream does not own (standard output).
    init(descriptor: Int32, naming destination: String) {
        path = ""
        self.destination = destination
        self.descriptor = descriptor
        ownsDescriptor = false
        buffer.reserveCapacity(Self.bufferSize)
    }

    private var ownsDescriptor = true

    deinit { if ownsDescriptor { abandon() } }

    public func write(_ text: String) throws(OutputError) {
        try write(Array(text.utf8))
    }

    public func write(_ bytes: [UInt8]) throws(OutputError) {
        if let failure { throw failure }
        buffer += bytes
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends a file's whole content, read in 1 MiB pieces (a shard's part, when merging).
    public func append(contentsOfFile source: String, naming name: String) throws(OutputError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw OutputError(path: name, reason: .cannotWrite("cannot read it back: \(String(cString: strerror(errno)))")) }
        defer { _ = close(input) }
        var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: name, reason: .cannotWrite("cannot read it back: \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            try write(Array(chunk[0..<count]))
        }
    }

    /// Writes the buffer out.
    public func flush() throws(OutputError) {
        if let failure { throw failure }
        guard descriptor >= 0 else { return }
        var written = 0
        while written < buffer.count {
            let count = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = OutputError(path: destination, reason: .cannotWrite(String(cString: strerror(errno))))
                failure = error
                throw error
            }
            written += count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes (before the rename).
    func finish() throws(OutputError) {
        try flush()
        guard descriptor >= 0 else { return }
        let result = close(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError(path: destination, reason: .cannotWrite(String(cString: strerror(errno)))) }
    }

    /// Closes without writing what is buffered (the file is being discarded).
    func abandon() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
        buffer.removeAll()
    }
}
