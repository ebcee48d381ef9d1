import Foundation
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

/// Reads a raw little-endian float32 file.
func readFloat32(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { raw in
        (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
    return worst
}

/// Runs a golden folder (weights + input.png + prob/aux .f32) and returns the max errors.
struct GoldenResult {
    var input: Float?
    var probability: Float
    var aux: [Float]
}

func runGolden(folder: String, weights: String, inputF32: String?, size: Int) throws -> GoldenResult {
    let stateDict = try WeightFile.load(path: weights)
    let model = try CoSupWeights(stateDict, source: weights)
    let image = try SliceReader.readGray(path: folder + "/input.png")
    let input = Preprocessing.networkInput(image, height: size, width: size)
    var inputError: Float?
    if let inputF32 { inputError = maxAbsDifference(input, try readFloat32(inputF32)) }
    let network = try CoSupNet(weights: model, height: size, width: size, sideOutputs: true, context: try DNNLContext())
    let output = try network.forward(input)
    let probability = maxAbsDifference(output.probability, try readFloat32(folder + "/prob.f32"))
    var aux: [Float] = []
    for i in 0..<5 { aux.append(maxAbsDifference(output.sideOutputs[i], try readFloat32(folder + "/aux\(i).f32"))) }
    return GoldenResult(input: inputError, probability: probability, aux: aux)
}
