import Foundation
import Inference
import Testing
import Files

/// The restricted unpickler refuses anything but a tensor state dict, naming what it refused,
/// and never runs anything (the payloads below would create a marker file if they ran).
@Suite("Hostile and malformed .pth files")
struct HostilePickleTests {
    static let marker = NSTemporaryDirectory() + "segeval-pwned-\(getpid())"

    func load(_ bytes: [UInt8]) throws(FileError) -> StateDict {
        try WeightFile.parse(Data(bytes), name: "hostile.pth")
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try load(bytes)
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test("a hand-built benign state dict loads")
    func benign() throws {
        let dict = try load(makeCheckpoint(pickle: PickleBuilder.stateDict(count: 3)))
        #expect(dict["w"]?.values == [1, 2, 3])
        #expect(dict["w"]?.shape == [3])
    }

    @Test("GLOBAL naming a dangerous callable is refused by name", arguments: [
        ("os", "system"), ("posix", "system"), ("builtins", "eval"), ("builtins", "exec"), ("subprocess", "Popen"),
        ("torch", "load"), ("__builtin__", "getattr"),
    ])
    func dangerousGlobal(module: String, name: String) {
        var p = PickleBuilder()
        p.global(module, name)
        p.mark(); p.string("touch \(Self.marker)"); p.tuple()
        p.reduce()
        p.stop()
        let message = refusal(makeCheckpoint(pickle: p.bytes))
        #expect(message.contains("refused"), "\(message)")
        #expect(message.contains("\(module).\(name)"), "\(message)")
        #expect(message.hasPrefix("hostile.pth: "))
        #expect(!FileManager.default.fileExists(atPath: Self.marker))
    }

    @Test("STACK_GLOBAL naming os.system is refused")
    func stackGlobal() {
        var p = PickleBuilder()
        p.string("os"); p.string("system"); p.raw(0x93)
        p.mark(); p.string("touch \(Self.marker)"); p.tuple(); p.reduce(); p.stop()
        let message = refusal(makeCheckpoint(pickle: p.bytes))
        #expect(message.contains("os.system"), "\(message)")
    }

    @Test("REDUCE on a storage type or on a non-callable is refused")
    func reduceOnDisallowed() {
        var p = PickleBuilder()
        p.global("torch", "FloatStorage"); p.emptyTuple(); p.reduce(); p.stop()
        #expect(refusal(makeCheckpoint(pickle: p.bytes)).contains("REDUCE on torch.FloatStorage"))
        var q = PickleBuilder()
        q.string("os.system"); q.emptyTuple(); q.reduce(); q.stop()
        #expect(refusal(makeCheckpoint(pickle: q.bytes)).contains("REDUCE on str"))
    }

    @Test("BUILD on anything but a dict is refused")
    func buildOnDisallowed() {
        var p = PickleBuilder()
        p.string("not a dict"); p.emptyDict(); p.build(); p.stop()
        #expect(refusal(makeCheckpoint(pickle: p.bytes)).contains("BUILD on str"))
    }

    @Test("object-building opcodes (INST, OBJ, NEWOBJ, EXT1) are refused by name", arguments: [
        (UInt8(0x69), "INST"), (UInt8(0x6F), "OBJ"), (UInt8(0x81), "NEWOBJ"), (UInt8(0x82), "EXT1"),
    ])
    func forbiddenOpcodes(opcode: UInt8, name: String) {
        var p = PickleBuilder()
        p.mark(); p.raw(opcode); p.stop()
        let message = refusal(makeCheckpoint(pickle: p.bytes))
        #expect(message.contains("opcode \(name)"), "\(message)")
    }

    @Test("a persistent id that is not a tensor storage is refused")
    func badPersistentID() {
        var p = PickleBuilder()
        p.mark(); p.string("module"); p.global("collections", "OrderedDict"); p.string("0"); p.string("cpu"); p.int(1); p.tuple()
        p.persistentID(); p.stop()
        #expect(refusal(makeCheckpoint(pickle: p.bytes)).contains("refused"))
    }

    @Test("truncated and corrupt containers give clear errors")
    func truncated() {
        let good = makeCheckpoint(pickle: PickleBuilder.stateDict(count: 3))
        let cut = Array(good.prefix(good.count - 30))
        #expect(refusal(cut).contains("zip"), "\(refusal(cut))")
        let pickle = PickleBuilder.stateDict(count: 3)
        #expect(refusal(makeCheckpoint(pickle: Array(pickle.dropLast(5)))).contains("truncated pickle"))
        // A storage shorter than the tensor needs.
        #expect(refusal(makeCheckpoint(pickle: PickleBuilder.stateDict(count: 3), floats: [1])).contains("fewer than"))
        #expect(refusal([]).contains("empty file"))
        #expect(refusal(Array("hello world, not weights".utf8)).contains("neither"))
    }

    @Test("a compressed (deflated) entry is reported, not misread")
    func compressed() {
        let zip = makeZip([("archive/data.pkl", PickleBuilder.stateDict(count: 3))], method: 8)
        #expect(refusal(zip).contains("compressed"))
    }

    @Test("corrupt safetensors are reported")
    func corruptSafetensors() {
        let header = Array("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}".utf8)
        let file = le32(header.count) + [0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 8)
        #expect(refusal(file).contains("truncated"), "\(refusal(file))")
        let wrongShape = Array("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}".utf8)
        let file2 = le32(wrongShape.count) + [0, 0, 0, 0] + wrongShape + [UInt8](repeating: 0, count: 16)
        #expect(refusal(file2).contains("do not match"))
    }
}
