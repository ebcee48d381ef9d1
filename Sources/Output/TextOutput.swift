import Foundation

/// Where a large text output goes piece by piece: a staged file (`StagedStream`) or standard
/// output (`StandardOutput`).
public protocol TextOutput {
    func write(_ text: String) throws(OutputError)
    /// Appends a file's whole content (a spool or a shard's part), read in pieces.
    func append(contentsOfFile path: String, naming name: String) throws(OutputError)
}

extension StagedStream: TextOutput {}

/// Standard output, through a staged stream's buffer and reading (so `--format json` of a
/// million images streams too). Call `flush()` at the end.
public final class StandardOutput: TextOutput {
    private let stream: StagedStream

    public init() {
        stream = StagedStream(descriptor: FileHandle.standardOutput.fileDescriptor, naming: "standard output")
    }

    public func write(_ text: String) throws(OutputError) { try stream.write(text) }

    public func append(contentsOfFile path: String, naming name: String) throws(OutputError) {
        try stream.append(contentsOfFile: path, naming: name)
    }

    public func flush() throws(OutputError) { try stream.flush() }
}

/// A text output held in memory (small outputs and tests).
public final class StringOutput: TextOutput {
    public private(set) var text = ""

    public init() {}

    public func write(_ text: String) throws(OutputError) { self.text += text }

    public func append(contentsOfFile path: String, naming name: String) throws(OutputError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(path: name, reason: .cannotWrite("cannot read it back"))
        }
        text += String(decoding: data, as: UTF8.self)
    }
}
