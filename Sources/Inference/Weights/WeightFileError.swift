/// Why a weight file could not be read. Every case names the file.
public struct WeightFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// A format-level failure inside one reader, before the file name is attached.
struct FormatError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
