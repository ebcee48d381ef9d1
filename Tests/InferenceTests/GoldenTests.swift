import Foundation
import GoldenSupport
import Inference
import Testing

/// Exactness against the PyTorch golden outputs in ../shared/golden (skipped when absent:
/// `.enabled(if: sharedAvailable)`, e.g. on a fresh clone without the shared folder).
@Suite("Golden outputs from ../shared/golden")
struct GoldenTests {
    @Test("small (width 8, 64x64): input within 1e-6, prob and aux within 1e-5", .enabled(if: sharedAvailable, "../shared/golden is not present (fresh clone); runs in CI"))
    func small() throws {
        let result = try GoldenCase.sharedSmall.run()
        print("golden small: input \(result.input!), prob \(result.probability), aux \(result.aux)")
        #expect(result.input! <= 1e-6)
        #expect(result.probability <= 1e-5)
        for error in result.aux { #expect(error <= 1e-5) }
    }

    @Test("full (width 64, 256x256): input within 1e-6, prob and aux within 1e-5", .enabled(if: sharedFullAvailable, "../shared/golden/full is not present (fresh clone); runs in CI"))
    func full() throws {
        let result = try GoldenCase.sharedFull.run()
        print("golden full: input \(result.input!), prob \(result.probability), aux \(result.aux)")
        #expect(result.input! <= 1e-6)
        #expect(result.probability <= 1e-5)
        for error in result.aux { #expect(error <= 1e-5) }
    }

    @Test("small_pth: both .pth files load to the same tensors as the safetensors copy", .enabled(if: sharedAvailable, "../shared/golden is not present (fresh clone); runs in CI"))
    func pthMatchesSafetensors() throws {
        let reference = try WeightFile.load(path: TestPaths.golden + "/small/weights.safetensors")
        for file in ["weights_state_dict.pth", "weights_checkpoint.pth"] {
            let loaded = try WeightFile.load(path: TestPaths.golden + "/small_pth/" + file)
            #expect(Set(loaded.names) == Set(reference.names), "\(file): key sets differ")
            for name in reference.names {
                #expect(loaded[name] == reference[name], "\(file): \(name) differs")
            }
        }
    }
}
