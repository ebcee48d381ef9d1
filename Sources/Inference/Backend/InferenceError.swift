/// Why the network could not be built or run (backend failures, unsupported sizes, bad weights).
public struct InferenceError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
