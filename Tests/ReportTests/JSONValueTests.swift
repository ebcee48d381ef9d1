import Foundation
import Testing
@testable import Report

@Suite struct JSONValueTests {
    @Test func writesEscapedStringsAndNullForUndefinedNumbers() {
        #expect(JSONValue.quoted("a\"b\\c\nd\u{1}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
        #expect(JSONValue.finite(.nan) == .null && JSONValue.finite(nil) == .null && JSONValue.finite(.infinity) == .null)
        #expect(JSONValue.object([("x", .array([.number(0.5), .null]))]).serialized(pretty: false) == "{\"x\":[0.5, null]}")
    }

    @Test func readsBackWhatItWritesDoublesExactly() throws {
        let numbers = [0.1 + 0.2, 0.1746961805555561, 1.0635416666666633, 0.48873849435285766, 1e-300, 2.5, 1.0, -0.0, 0x1p60]
        let document = JSONValue.object([
            ("name", .string("Semi-Inf-Net \"v2\"\n")), ("format", .integer(1)), ("flag", .bool(true)), ("none", .null),
            ("values", .array(numbers.map(JSONValue.number))), ("nested", .object([("empty", .array([]))])),
        ])
        let parsed = try JSONValue.parse(Data(document.serialized().utf8))
        #expect(parsed["name"]?.stringValue == "Semi-Inf-Net \"v2\"\n")
        #expect(parsed["format"]?.integerValue == 1)
        #expect(parsed["none"]?.isNull == true && parsed["none"]?.numberValue?.isNaN == true)
        let array = try #require(parsed["values"]?.arrayValue)
        let values = array.compactMap(\.numberValue)
        #expect(values == numbers)
        #expect(values[7].sign == .minus)   // -0.0 keeps its sign
        #expect(parsed["nested"]?["empty"]?.arrayValue?.isEmpty == true)
        #expect(parsed["missing"] == nil && parsed["name"]?.numberValue == nil)
    }
}
