import Foundation

/// Reading JSON back into `JSONValue`, for `summary.json`.
///
/// Numbers go through `JSONDecoder`, which rounds every decimal to the nearest double, so a value
/// written with `NumberFormat.exact` reads back as the very same double. (Foundation's
/// `JSONSerialization` on Linux can be an ulp off.) A number with an integral value that an `Int`
/// holds exactly is `.integer` (so `1` and `1.0` both are; `-0.0` stays a `.number`); `numberValue`
/// gives the double either way. Object members come back in no particular order.
extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !array.isAtEnd { values.append(try array.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONValue.self, forKey: $0)) })
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Double.self) {
            if value.rounded() == value, abs(value) < 0x1p53, !(value == 0 && value.sign == .minus),
               let integer = try? single.decode(Int.self), Double(integer) == value {
                self = .integer(integer)
            } else {
                self = .number(value)
            }
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Parses a JSON document.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The member `key` of an object; nil for a missing key or another kind of value.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A number (integer or not); NaN for `null`, how `summary.json` stores undefined values;
    /// nil for anything else.
    public var numberValue: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case .null: return .nan
        default: return nil
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
