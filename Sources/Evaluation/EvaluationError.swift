/// A problem with the input that stops an evaluation. The message names the files.
public struct EvaluationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// "a, b, c (and N more)" for long lists.
    public static func list(_ items: [String], limit: Int = 10) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) (and \(items.count - limit) more; \(items.count) in all)" : shown
    }
}
