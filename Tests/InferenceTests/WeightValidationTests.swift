import Foundation
import Inference
import SegevalTestSupport
import Testing

/// Checkpoint validation: missing fout.*, missing keys, shape mismatches, unexpected keys.
@Suite("CoSupNet weight validation")
struct WeightValidationTests {
    static let weights = TestPaths.fixture + "/weights.safetensors"

    func fixture() throws -> StateDict { try WeightFile.load(path: Self.weights) }

    func without(_ dict: StateDict, _ drop: (String) -> Bool) -> StateDict {
        StateDict(dict.names.filter { !drop($0) }.map { ($0, dict[$0]!) })
    }

    func message(_ dict: StateDict) -> String {
        do {
            _ = try CoSupWeights(dict, source: "ckpt.pth")
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test("a checkpoint of the authors' code (no fout.*, no out.*) names the helper script")
    func missingFout() throws {
        let text = message(without(try fixture()) { $0.hasPrefix("fout.") || $0.hasPrefix("out.") })
        #expect(text.contains("fout"))
        #expect(text.contains("tools/complete_checkpoint.py"))
        #expect(text.contains("manual_seed(2)"))
    }

    @Test("out_.* and out.* (never used) may be absent")
    func unusedMayBeMissing() throws {
        let dict = without(try fixture()) { $0.hasPrefix("out.") || $0.hasPrefix("out_.") || $0.hasSuffix("num_batches_tracked") }
        let weights = try CoSupWeights(dict, source: "ckpt.pth")
        #expect(weights.width == 4)
    }

    @Test("a missing key is named")
    func missingKey() throws {
        let text = message(without(try fixture()) { $0 == "gate.conv.bias" })
        #expect(text.contains("missing 1 key"))
        #expect(text.contains("gate.conv.bias"))
    }

    @Test("a shape mismatch names key, expected and found")
    func shapeMismatch() throws {
        var dict = try fixture()
        dict.insert("final_conv.weight", StoredTensor(dtype: .float32, shape: [4, 4, 1, 1], values: [Float](repeating: 0, count: 16)))
        let text = message(dict)
        #expect(text.contains("final_conv.weight"))
        #expect(text.contains("expected [4, 4, 3, 3], found [4, 4, 1, 1]"))
    }

    @Test("unexpected keys are listed; --strict makes them fatal")
    func unexpectedKeys() throws {
        var dict = try fixture()
        dict.insert("classifier.weight", StoredTensor(dtype: .float32, shape: [1], values: [0]))
        let weights = try CoSupWeights(dict, source: "ckpt.pth")
        #expect(weights.unexpectedKeys == ["classifier.weight"])

        let tree = TemporaryTree()
        let folder = tree.root
        // Write the extended dict as safetensors and load it through the Predictor.
        let path = folder + "/extra.safetensors"
        try SafetensorsTestWriter.write(dict, to: path)
        var options = Predictor.Options()
        options.size = 32
        let lenient = try Predictor(weightsPath: path, options: options)
        #expect(lenient.warnings.first?.contains("classifier.weight") == true)
        options.strict = true
        #expect(throws: InferenceError.self) { _ = try Predictor(weightsPath: path, options: options) }
    }

    @Test("not a CoSupNet checkpoint")
    func notCoSup() {
        let text = message(StateDict([("fc.weight", StoredTensor(dtype: .float32, shape: [2], values: [0, 0]))]))
        #expect(text.contains("not a CoSupNet checkpoint"))
    }
}

/// Minimal float32 safetensors writer for tests.
enum SafetensorsTestWriter {
    static func write(_ dict: StateDict, to path: String) throws {
        var header: [String] = []
        var data: [UInt8] = []
        for name in dict.names {
            let tensor = dict[name]!
            let begin = data.count
            for value in tensor.values { data += le32(Int(value.bitPattern)) }
            header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(tensor.shape),\"data_offsets\":[\(begin),\(data.count)]}")
        }
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        let bytes = le32(json.count) + [0, 0, 0, 0] + json + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
