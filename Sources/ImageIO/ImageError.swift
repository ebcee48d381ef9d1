/// Why an image could not be read or written. Every case names the file.
public struct ImageError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
