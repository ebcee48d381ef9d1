/// A format-level failure inside one weight reader, before the file name is attached
/// (`WeightFile` turns it into a `FileError` naming the file).
struct FormatError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
