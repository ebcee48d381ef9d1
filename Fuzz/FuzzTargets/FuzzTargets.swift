import Foundation
import ImageIO
import Inference
import VolumeIO

/// libFuzzer harnesses for every parser of untrusted input (issue 14 §5). One executable; the
/// target is chosen with `SEGEVAL_FUZZ_TARGET` (scripts/fuzz.sh sets it):
///
/// - `pth`: the bytes as a weight file (torch.save zip, its pickle and tensor views; the legacy
///   pre-zip container; safetensors too, as `WeightFile` sniffs the format);
/// - `pickle`: structure-aware: the bytes choose opcodes and arguments of a pickle built from the
///   unpickler's own vocabulary (allowed globals, tensor rebuilds, huge and negative integers),
///   wrapped in a torch.save zip with a small storage (byte-level mutation rarely gets past the
///   zip and the opcode allowlist);
/// - `safetensors`: the bytes as a safetensors file;
/// - `safetensors-header`: structure-aware: a JSON header built from fuzzer-chosen names, dtypes,
///   shapes and offsets, followed by data;
/// - `png`, `jpeg`: the decoders, and predict's gray reading of a JPEG.
/// - `nifti`: the bytes as a volume file (`NIfTIReader`, through nifticlib: written to a temporary
///   `.nii.gz` name, which nifticlib's gzip layer reads compressed or not).
///
/// Every input must end in a value or a thrown error: a trap, a sanitizer report, a hang or an
/// allocation over libFuzzer's `-malloc_limit_mb` is a finding.
enum FuzzTarget: String, CaseIterable {
    case pth, pickle, safetensors, safetensorsHeader = "safetensors-header", png, jpeg, nifti

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SEGEVAL_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set SEGEVAL_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        // Decoding is what is fuzzed, not the memory of a legitimately huge image.
        ImageLimits.maxPixels = 4_000_000
        VolumeLimits.maxVoxels = 4_000_000
        return target
    }()
}

extension FuzzTarget {
    /// The nifti target's input file (one per process).
    static let volumePath = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
        + "/segeval-fuzz-\(getpid()).nii.gz"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch FuzzTarget.current {
    case .pth, .safetensors:
        _ = try? WeightFile.parse(Data(bytes), name: "fuzz")
    case .pickle:
        var generator = PickleGenerator(bytes)
        _ = try? WeightFile.parse(Data(generator.checkpoint()), name: "fuzz")
    case .safetensorsHeader:
        var generator = SafetensorsGenerator(bytes)
        _ = try? WeightFile.parse(Data(generator.file()), name: "fuzz")
    case .png:
        _ = try? PNGCodec.decode(bytes, name: "fuzz")
    case .jpeg:
        _ = try? JPEGCodec.decode(bytes, name: "fuzz")
        _ = try? SliceReader.decodeJPEGGray(bytes, name: "fuzz")
    case .nifti:
        let path = FuzzTarget.volumePath
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
        _ = try? NIfTIReader.read(path: path)
    }
    return 0
}
