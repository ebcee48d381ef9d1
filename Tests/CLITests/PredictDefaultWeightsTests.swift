import Foundation
import ImageIO
import SegevalTestSupport
import Testing

/// `segeval predict` with the default weights shipped in `models/` (no ../shared, no Python).
@Suite("segeval predict with the shipped default weights")
struct PredictDefaultWeightsTests {
    let tree = TemporaryTree()
    static let demo = SharedData.packageRoot + "/fixtures/demo"
    static let weightsFile = "cosupnet-w32.safetensors"

    /// Dice of `map >= 128` (probability >= 0.5) against `gt > 128`.
    static func dice(map: DecodedImage, gt: DecodedImage) -> Double {
        guard case .uint8(let p) = map.samples, case .uint8(let g) = gt.samples else { return -1 }
        var both = 0, predicted = 0, actual = 0
        for i in 0..<p.count {
            let a = p[i] >= 128, b = g[i] > 128
            if a { predicted += 1 }
            if b { actual += 1 }
            if a && b { both += 1 }
        }
        return predicted + actual == 0 ? 1 : 2 * Double(both) / Double(predicted + actual)
    }

    @Test("predicts the six demo slices without --weights: one PNG each at the slice's size; the lesions are found")
    func demoSlices() throws {
        let out = tree.path("pred")
        let outcome = try CommandRunner.run(["predict", "--images", Self.demo + "/Imgs", "--out", out, "--threads", "2"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("models/" + Self.weightsFile), "names the default weights: \(outcome.standardError)")
        var dices: [Double] = []
        for stem in ["18", "36", "59", "62", "70", "91"] {
            let map = try ImageReader.read(path: out + "/" + stem + ".png")
            let gt = try ImageReader.read(path: Self.demo + "/GT/" + stem + ".png")
            #expect(map.width == gt.width && map.height == gt.height && map.colorKind == .gray && map.bitDepth == 8, "\(stem)")
            dices.append(Self.dice(map: map, gt: gt))
        }
        // A trained network finds the infection: an untrained or mis-loaded one gives a near
        // constant map (Dice near 0, or near the lesion's area fraction when everything is
        // foreground). The bound is a sanity floor, far below the model card's test-set scores.
        let mean = dices.reduce(0, +) / Double(dices.count)
        #expect(mean >= 0.5, "mean Dice at 0.5 over the demo slices: \(dices)")
    }
}
