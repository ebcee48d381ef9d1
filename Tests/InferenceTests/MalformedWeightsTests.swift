import Foundation
import Files
import Inference
import Testing

/// The malformed weight files that crashed the CLI (issue 14 §5: a Swift trap, a stack overflow or
/// an allocation abort) are now errors naming the file, each as small as it was found.
@Suite("Malformed weight files: errors, never crashes")
struct MalformedWeightsTests {
    func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try WeightFile.parse(Data(bytes), name: "bad.pth")
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test("sizes from the pickle that overflow, or ask for more than the limit, are refused before any allocation")
    func pickleSizes() {
        let cases: [(Int64, [Int64], [Int64], String)] = [
            (1 << 62, [3], [1], "storage size overflows"),                                  // elements x 4 bytes
            (3, [1 << 40, 1 << 40], [1, 1], "overflows"),                                   // shape product
            (3, [2, 2], [1 << 62, 1 << 62], "view overflows"),                              // view extent
            (3, [1 << 31], [0], "more than the 67108864 segeval reads"),                            // stride 0: 8 GiB of values from 12 bytes
            (3, [1 << 20, 1 << 20], [0, 0], "more than the 67108864 segeval reads"),
        ]
        for (storage, shape, strides, expected) in cases {
            let message = refusal(makeCheckpoint(pickle: PickleBuilder.stateDict(storageCount: storage, shape: shape, strides: strides)))
            #expect(message.hasPrefix("bad.pth: "), "\(message)")
            #expect(message.contains(expected), "\(shape) \(strides): \(message)")
        }
        // A stride-0 view within the limit is what torch's expand() saves: read, repeated.
        var dict = try? WeightFile.parse(Data(makeCheckpoint(pickle: PickleBuilder.stateDict(storageCount: 3, shape: [4], strides: [0]))), name: "ok.pth")
        #expect(dict?["w"]?.values == [1, 1, 1, 1])
        dict = nil
    }

    @Test("a BINUNICODE8 length of 2^63 or more is an error, not a trap")
    func hugeStringLength() {
        var p = PickleBuilder()
        p.raw(0x8D)
        for _ in 0..<8 { p.raw(0xFF) }
        p.stop()
        #expect(refusal(makeCheckpoint(pickle: p.bytes)).contains("truncated pickle"))
    }

    @Test("a dict that holds itself (via the memo) is refused, not followed forever")
    func selfReference() {
        var p = PickleBuilder()
        p.emptyDict(); p.raw(0x71); p.raw(0)          // BINPUT 0
        p.string("state_dict"); p.raw(0x68); p.raw(0)  // BINGET 0
        p.setItem()
        p.stop()
        let message = refusal(makeCheckpoint(pickle: p.bytes))
        #expect(message.contains("changed after it was placed in another container"), "\(message)")
    }

    @Test("50,000 nested tuples are refused at the depth limit, not a stack overflow", arguments: [50_000, 101])
    func deepNesting(depth: Int) {
        var p = PickleBuilder()
        p.emptyTuple()
        for _ in 0..<depth { p.raw(0x85) }             // TUPLE1
        p.stop()
        let message = refusal(makeCheckpoint(pickle: p.bytes))
        #expect(message.contains("nested more than 100 deep"), "\(message)")
        // Lists built by APPEND nest the same way.
        var q = PickleBuilder()
        for _ in 0..<depth { q.raw(0x5D) }             // EMPTY_LIST x depth
        for _ in 0..<(depth - 1) { q.raw(0x61) }       // APPEND each into the one below
        q.stop()
        #expect(refusal(makeCheckpoint(pickle: q.bytes)).contains("nested more than 100 deep"))
    }

    @Test("zip64 fields of 2^63 or more, and offsets whose sums overflow, are errors")
    func zip64Sizes() {
        func zip64(recordOffset: UInt64, count: UInt64, size: UInt64, offset: UInt64) -> [UInt8] {
            func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
            var out: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)
            let record = UInt64(out.count)
            out += [0x50, 0x4B, 0x06, 0x06] + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            out += le64(count) + le64(count) + le64(size) + le64(offset)
            out += [0x50, 0x4B, 0x06, 0x07] + le32(0) + le64(recordOffset == 0 ? record : recordOffset) + le32(1)
            out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF) + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le16(0)
            return out
        }
        for file in [zip64(recordOffset: 1 << 63, count: 1, size: 46, offset: 0),
                     zip64(recordOffset: 0, count: 1 << 63, size: 46, offset: 0),
                     zip64(recordOffset: 0, count: 1, size: (1 << 63) - 1, offset: (1 << 63) - 1),
                     zip64(recordOffset: 0, count: 1, size: 10, offset: UInt64(Int.max)),
                     zip64(recordOffset: 0, count: 1 << 40, size: 46, offset: 0)] {
            let message = refusal(file)
            #expect(message.hasPrefix("bad.pth: ") && message.contains("zip"), "\(message)")
        }
    }

    @Test("safetensors shapes whose product or byte count overflows are errors, checked before the offsets")
    func safetensorsSizes() {
        for shape in ["[4294967296,4294967296]", "[4611686018427387904]", "[-1]", "[2147483648]"] {
            let header = Array("{\"w\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[0,16]}}".utf8)
            let file = le32(header.count) + [0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 16)
            let message = refusal(file)
            #expect(message.hasPrefix("bad.pth: ") && message != "loaded", "\(shape): \(message)")
            #expect(!message.contains("do not match"), "\(shape): the size was used before it was checked: \(message)")
        }
        // A header length of 2^63 or more.
        let huge = [UInt8](repeating: 0xFF, count: 8) + Array("{}".utf8)
        #expect(refusal(huge).contains("safetensors") || refusal(huge).contains("neither"), "\(refusal(huge))")
    }
}
