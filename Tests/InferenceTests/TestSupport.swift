import Foundation
import GoldenSupport
import Inference
import SegevalTestSupport

/// Paths and helpers shared by the Inference tests.
enum TestPaths {
    /// The package root.
    static let packageRoot = SharedData.packageRoot

    /// `<package root>/../shared`: the project's shared folder with the PyTorch golden files and data.
    static let shared = URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    static let golden = shared + "/golden"
    static let fixture = packageRoot + "/fixtures/cosup-small"
}

/// Whether ../shared/golden exists. Tests that need it are disabled otherwise (a fresh clone
/// without the shared folder still runs the fixture-based tests).
let sharedAvailable = FileManager.default.fileExists(atPath: TestPaths.golden + "/small/weights.safetensors")
let sharedFullAvailable = FileManager.default.fileExists(atPath: TestPaths.golden + "/full/weights.safetensors")
