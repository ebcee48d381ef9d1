/// Why `segeval predict` could not run or finish: bad arguments, missing inputs, unwritable output.
public struct PredictError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
