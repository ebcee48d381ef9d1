/// A JSON value with ordered object keys, written with exact numbers (shortest round-trip
/// decimals). Non-finite numbers cannot be written: callers turn them into `null` and a warning.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// A number, or `null` for NaN/infinity.
    public static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    public func serialized(indent: Int = 0, pretty: Bool = true) -> String {
        var output = ""
        write(to: &output, indent: indent, pretty: pretty)
        return output
    }

    private func write(to output: inout String, indent: Int, pretty: Bool) {
        let newline = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closingPad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += NumberFormat.exact(value)
        case .integer(let value): output += String(value)
        case .string(let value): output += Self.quoted(value)
        case .array(let values):
            // Arrays of numbers stay on one line (curves are 256 long).
            if values.allSatisfy({ if case .number = $0 { return true }; if case .null = $0 { return true }; return false }) {
                output += "[" + values.map { $0.serialized(pretty: false) }.joined(separator: ", ") + "]"
                return
            }
            if values.isEmpty { output += "[]"; return }
            output += "[" + newline
            for (index, value) in values.enumerated() {
                output += pad
                value.write(to: &output, indent: indent + 1, pretty: pretty)
                output += (index < values.count - 1 ? "," : "") + newline
            }
            output += closingPad + "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                output += pad + Self.quoted(key) + (pretty ? ": " : ":")
                value.write(to: &output, indent: indent + 1, pretty: pretty)
                output += (index < members.count - 1 ? "," : "") + newline
            }
            output += closingPad + "}"
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
