import Foundation
import Inference
import Testing
import Files

/// The legacy (pre-1.6, non-zip) torch.save container, as the Inf-Net authors' checkpoints are:
/// files written by torch itself (fixtures/legacy-pth, tools/make_legacy_pth.py), the golden's
/// 946 Inf-Net tensors written in that layout here, and hostile variants of both.
@Suite("Legacy (pre-zip) torch.save checkpoints")
struct LegacyPthTests {
    static let folder = TestPaths.packageRoot + "/fixtures/legacy-pth"

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: folder + "/" + name)))
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try WeightFile.parse(Data(bytes), name: "legacy.pth")
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test("torch's own legacy files (CPU, and storages tagged torch.cuda on 'cuda:1') load to torch's values: views with offsets and strides, int64 and float16 storages, the module. prefix stripped", arguments: ["legacy-cpu.pth", "legacy-cuda.pth"])
    func torchFiles(name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Self.folder + "/expected.json"))
        let expected = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["tensors"] as? [String: [String: Any]])
        let dict = try WeightFile.load(path: Self.folder + "/" + name)
        #expect(dict.count == expected.count)
        for (key, entry) in expected {
            let tensor = try #require(dict[key] ?? dict[String(key.dropFirst("module.".count))], "\(key) missing")
            let name = key
            #expect(tensor.shape == (entry["shape"] as? [Int]), "\(name)")
            #expect(tensor.values == (entry["values"] as? [Double])?.map(Float.init), "\(name)")
        }
    }

    @Test("hostile variants are refused with the zip format's messages, never run, never crash: a forbidden global, every truncation, lying element counts, a storage key that matches no tensor, big-endian data")
    func hostile() throws {
        let good = try Self.bytes("legacy-cuda.pth")
        #expect(refusal(good) == "loaded")
        func replacing(_ old: String, _ new: String, in bytes: [UInt8]) throws -> [UInt8] {
            try replacing(Array(old.utf8), Array(new.utf8), in: bytes)
        }
        func replacing(_ o: [UInt8], _ n: [UInt8], in bytes: [UInt8]) throws -> [UInt8] {
            let found = (0...(bytes.count - o.count)).first { Array(bytes[$0..<($0 + o.count)]) == o }
            let at = try #require(found, "\(String(decoding: o, as: UTF8.self))")
            return Array(bytes[..<at]) + n + Array(bytes[(at + o.count)...])
        }
        let global = refusal(try replacing("collections\nOrderedDict\n", "posix\nsystem\n", in: good))
        #expect(global.contains("names the global posix.system, which is not allowed") && global.contains("nothing was run"), "\(global)")
        let rebuild = refusal(try replacing("torch._utils\n_rebuild_tensor_v2\n", "builtins\neval\n", in: good))
        #expect(rebuild.contains("builtins.eval"), "\(rebuild)")
        // Every truncation is an error naming the file.
        for length in stride(from: 0, to: good.count, by: 7) {
            let message = refusal(Array(good.prefix(length)))
            #expect(message != "loaded" && message.hasPrefix("legacy.pth: "), "\(length): \(message)")
        }
        // The data section (its offset as Python's pickle reader found it, expected.json): per
        // storage an int64 count, then the elements. Lie about the first one.
        let keysEnd = try Self.dataOffset("legacy-cuda.pth")
        var lying = good
        for index in 0..<8 { lying[keysEnd + index] = index == 7 ? 0x40 : 0 }
        #expect(refusal(lying).contains("size overflows"), "\(refusal(lying))")
        lying[keysEnd + 7] = 0
        lying[keysEnd + 2] = 0x10                                     // 2^20 elements: more than the file
        #expect(refusal(lying).contains("more than the bytes left"), "\(refusal(lying))")
        // The last storage written with one element fewer: its bytes add up, its persistent id
        // does not.
        let last = try Self.lastStorage("legacy-cuda.pth")
        var fewer = Array(good.dropLast(last.elementBytes))
        fewer[last.countOffset] = UInt8(last.count - 1)
        #expect(refusal(fewer).contains("holds \(last.count - 1) elements, its persistent id says \(last.count)"), "\(refusal(fewer))")
        // A key in the storage list that no tensor names: the last key's last digit changed (the
        // list pickle ends `<key> BINPUT n APPENDS STOP`, 4 bytes after it).
        var renamed = good
        let lastKeyDigit = keysEnd - 5
        renamed[lastKeyDigit] = renamed[lastKeyDigit] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
        let mismatch = refusal(renamed)
        #expect(mismatch.contains("no tensor uses it") || mismatch.contains("not in the file's storage list"), "\(mismatch)")
        let bigEndian = refusal(try replacing(Array("little_endianq".utf8) + [0x02, 0x88], Array("little_endianq".utf8) + [0x02, 0x89], in: good))
        #expect(bigEndian.contains("big-endian"), "\(bigEndian)")
        // A pickle (protocol 2) that is not torch.save's: no magic number.
        #expect(refusal([0x80, 0x02, 0x7D, 0x2E]).contains("not a torch.save checkpoint"))
    }

    /// A fixture's layout as Python's pickle reader found it (expected.json).
    static func layout(_ name: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: folder + "/expected.json"))
        let layout = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["layout"] as? [String: [String: Any]]
        return try #require(layout?[name])
    }

    /// Where the storages' data begin (after the five pickles).
    static func dataOffset(_ name: String) throws -> Int { try #require(try layout(name)["data_offset"] as? Int) }

    /// The last storage: where its int64 count is, the count, the bytes per element.
    static func lastStorage(_ name: String) throws -> (countOffset: Int, count: Int, elementBytes: Int) {
        let last = try #require((try layout(name)["storages"] as? [[String: Any]])?.last)
        return (try #require(last["count_offset"] as? Int), try #require(last["count"] as? Int), try #require(last["element_bytes"] as? Int))
    }

    @Test("the Inf-Net golden's 946 tensors written as the authors' GPU checkpoint (storages torch.cuda on 'cuda:1', OrderedDict with _metadata) load to the safetensors copy's values", .enabled(if: FileManager.default.fileExists(atPath: TestPaths.golden + "/infnet/weights.safetensors"), "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func goldenAsLegacy() throws {
        let reference = try WeightFile.load(path: TestPaths.golden + "/infnet/weights.safetensors")
        #expect(reference.count == 946)
        let bytes = LegacyWriter.write(reference)
        let loaded = try WeightFile.parse(Data(bytes), name: "Inf-Net-100.pth")
        #expect(loaded.names == reference.names)
        for name in reference.names {
            #expect(loaded[name]?.values == reference[name]?.values && loaded[name]?.shape == reference[name]?.shape, "\(name)")
        }
    }
}

/// Writes a state dict in the legacy torch.save layout (../shared/spec/infnet-model.md, section 6)
/// with protocol-2 opcodes: the magic number, 1001, the system information, the OrderedDict of
/// `_rebuild_tensor_v2` calls on persistent-id storages (`torch.cuda.FloatStorage` or
/// `LongStorage` on 'cuda:1'), the key list, then each storage's int64 count and data.
enum LegacyWriter {
    static func write(_ dict: StateDict) -> [UInt8] {
        var out: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        out += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]                       // 1001
        var info = PickleBuilder()
        info.emptyDict(); info.mark()
        info.string("protocol_version"); info.int(1001)
        info.string("little_endian"); info.raw(0x88)
        info.raw(0x75); info.stop()                                    // SETITEMS
        out += info.bytes
        var main = PickleBuilder()
        main.emptyOrderedDict()
        var data: [UInt8] = []
        var keys: [String] = []
        for (index, name) in dict.names.enumerated() {
            let tensor = dict[name]!
            let isLong = tensor.dtype == .int64
            let key = String(94_000_000_000_000 + index)
            keys.append(key)
            main.string(name)
            main.rebuildTensor(storageModule: "torch.cuda", storageType: isLong ? "LongStorage" : "FloatStorage", key: key,
                               location: "cuda:1", count: Int64(tensor.values.count), viewMetadata: true,
                               shape: tensor.shape.map { Int64($0) })
            main.setItem()
            data += le64(tensor.values.count)
            // Little-endian raw elements (this machine's order).
            if isLong { tensor.values.map { Int64($0) }.withUnsafeBytes { data += $0 } } else { tensor.values.withUnsafeBytes { data += $0 } }
        }
        main.stop()
        out += main.bytes
        var list = PickleBuilder()
        list.raw(0x5D); list.mark(); keys.forEach { list.string($0) }; list.raw(0x65); list.stop()   // EMPTY_LIST, APPENDS
        return out + list.bytes + data
    }

    static func le64(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}
