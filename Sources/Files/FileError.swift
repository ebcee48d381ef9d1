/// Why a file could not be read or written: an image, a mask, a weight file. The description
/// starts with the file's path, so every message names its file.
///
/// One type for every file-level failure below the commands (ImageIO's codecs and the weight
/// readers throw it); each command's own problems have their module's error type.
public struct FileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
