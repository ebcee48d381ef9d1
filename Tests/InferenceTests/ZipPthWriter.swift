import Foundation
@testable import Inference
import Testing

/// Writes a state dict as `torch.save(state_dict, f)` does since PyTorch 1.6: a zip of stored
/// entries `<archive>/data.pkl` (protocol-2 opcodes: the OrderedDict of `_rebuild_tensor_v2` calls
/// on persistent ids `('storage', torch.FloatStorage, key, 'cpu', numel)`), `<archive>/byteorder`,
/// one `<archive>/data/<key>` entry per storage, and `<archive>/version`. The sibling of
/// `LegacyWriter` (LegacyPthTests.swift).
///
/// `.int64` tensors (num_batches_tracked) become `torch.LongStorage` (int64 bytes of the values);
/// every other dtype becomes `torch.FloatStorage` (float32 bytes), so a float16 or float64 source
/// reads back as `.float32` with the same `Float` values. Little-endian (this machine's order).
enum ZipPthWriter {
    static func write(_ dict: StateDict, archiveName: String = "archive") -> [UInt8] {
        var main = PickleBuilder()
        main.emptyOrderedDict()
        var storages: [(String, [UInt8])] = []
        storages.reserveCapacity(dict.count)
        for (index, name) in dict.names.enumerated() {
            let tensor = dict[name]!
            let isLong = tensor.dtype == .int64
            let key = String(index)
            main.string(name)
            main.rebuildTensor(storageType: isLong ? "LongStorage" : "FloatStorage", key: key,
                               count: Int64(tensor.values.count), shape: tensor.shape.map { Int64($0) })
            main.setItem()
            let data = isLong ? tensor.values.map { Int64($0) }.withUnsafeBytes { Array($0) } : tensor.values.withUnsafeBytes { Array($0) }
            storages.append((archiveName + "/data/" + key, data))
        }
        main.stop()
        return makeZip([(archiveName + "/data.pkl", main.bytes), (archiveName + "/byteorder", Array("little".utf8))]
                       + storages + [(archiveName + "/version", Array("3\n".utf8))])
    }
}

@Suite("ZipPthWriter: state dicts written as torch.save zip checkpoints read back unchanged")
struct ZipPthWriterTests {
    func expectSame(_ loaded: StateDict, _ reference: StateDict) {
        #expect(loaded.names == reference.names)
        for name in reference.names {
            #expect(loaded[name]?.shape == reference[name]?.shape, "\(name)")
            #expect(loaded[name]?.values == reference[name]?.values, "\(name)")
        }
    }

    @Test("a hand-made dict (a [2, 3] float, a 0-d int64 num_batches_tracked, a [4] float) round-trips: names in order, shapes, values, dtypes")
    func handMade() throws {
        let dict = StateDict([
            ("conv.weight", StoredTensor(dtype: .float32, shape: [2, 3], values: [0.5, -1.25, 3, 4.75, -0.001, 1e6])),
            ("bn.num_batches_tracked", StoredTensor(dtype: .int64, shape: [], values: [12345])),
            ("bn.bias", StoredTensor(dtype: .float32, shape: [4], values: [1, 2, -3, .pi])),
        ])
        let bytes = ZipPthWriter.write(dict)
        let loaded = try WeightFile.parse(Data(bytes), name: "x.pth")
        expectSame(loaded, dict)
        #expect(loaded["bn.num_batches_tracked"]?.dtype == .int64)
        #expect(loaded["conv.weight"]?.dtype == .float32)
        // Another archive name (torch uses the file's stem) reads the same.
        expectSame(try WeightFile.parse(Data(ZipPthWriter.write(dict, archiveName: "Inf-Net-100")), name: "y.pth"), dict)
    }

    @Test("fixtures/cosup-small/weights.safetensors round-trips through the writer")
    func fixture() throws {
        let reference = try WeightFile.load(path: TestPaths.fixture + "/weights.safetensors")
        let loaded = try WeightFile.parse(Data(ZipPthWriter.write(reference)), name: "weights.pth")
        expectSame(loaded, reference)
    }
}
