/// Builds a safetensors file whose JSON header is chosen by the fuzzer: tensor names, dtypes
/// (valid and not), shapes (negative, huge, overflowing products), data offsets (overlapping,
/// reversed, past the end) and metadata, then a chosen amount of data.
struct SafetensorsGenerator {
    var choices: Choices

    init(_ bytes: [UInt8]) { choices = Choices(bytes) }

    static let dtypes = ["F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "F8_E4M3", "f32", ""]

    mutating func file() -> [UInt8] {
        var entries: [String] = []
        let count = Int(choices.byte() % 6)
        for index in 0..<count {
            let rank = Int(choices.byte() % 4)
            let shape = (0..<rank).map { _ in String(choices.integer()) }.joined(separator: ",")
            let begin = choices.integer(), end = choices.integer()
            let name = choices.pick(["w", "w", "b", "__metadata__", "x\(index)", "\u{0}", "\"q\""])
            let value: String
            switch choices.byte() % 5 {
            case 0: value = "{\"dtype\":\"F32\"}"
            case 1: value = "[1,2,3]"
            default: value = "{\"dtype\":\"\(choices.pick(Self.dtypes))\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(end)]}"
            }
            entries.append("\"\(name.replacingOccurrences(of: "\"", with: "\\\""))\":\(value)")
        }
        let header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        let dataLength = Int(choices.byte()) * 4
        var length = UInt64(header.count)
        switch choices.byte() % 8 {
        case 0: length = UInt64(bitPattern: choices.integer())     // a lie about the header length
        case 1: length += UInt64(choices.byte())
        default: break
        }
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + header
            + [UInt8](repeating: 0x40, count: dataLength)
    }
}
