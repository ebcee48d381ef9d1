/// Why `segeval predict` could not run or finish: bad arguments or inputs, an output that would
/// replace an input, a backend failure, an unsupported size, weights that do not fit the network.
/// (A file that cannot be read is a `FileError`, which names the file.)
public struct InferenceError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
