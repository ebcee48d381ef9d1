/// A report failure with a message for the user (what went wrong, and with which file or option).
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
