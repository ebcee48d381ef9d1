import Foundation
import ImageIO
import SegevalTestSupport
import Testing

/// `segeval predict --model infnet|semi-infnet|infnet-multiclass` from the command line: the
/// authors' published PNGs reproduced from the PyTorch goldens (../shared/golden/infnet and
/// infnet-multiclass, skipped on a fresh clone), the priors two ways, and the refusals.
@Suite("predict --model infnet, semi-infnet, infnet-multiclass (command line)", .serialized)
struct PredictInfNetTests {
    let tree = TemporaryTree()
    static let golden = SharedData.root + "/golden/infnet"
    static let multiClass = SharedData.root + "/golden/infnet-multiclass"
    static let available = FileManager.default.fileExists(atPath: golden + "/weights.safetensors")
        && FileManager.default.fileExists(atPath: multiClass + "/weights.safetensors")
    static let cosupWeights = SharedData.packageRoot + "/fixtures/cosup-small/weights.safetensors"
    static let slice = SharedData.packageRoot + "/fixtures/cosup-small/input.png"

    func copy(_ from: String, _ to: String) throws {
        tree.bytes(to, [UInt8](try Data(contentsOf: URL(fileURLWithPath: from))))
    }

    /// The samples of a gray PNG as levels 0...255 (1-bit masks: 0 or 255).
    static func levels(_ path: String) throws -> (width: Int, height: Int, bitDepth: Int, pixels: [UInt8]) {
        let image = try PNGCodec.read(path: path)
        guard case .uint8(let samples) = image.samples, image.colorKind == .gray else { throw CocoaError(.fileReadCorruptFile) }
        let scale = 255 / image.maxSampleValue
        return (image.width, image.height, image.bitDepth, samples.map { UInt8(Int($0) * scale) })
    }

    @Test("without --weights each Inf-Net model says where the authors publish theirs and stops; nothing is downloaded or written")
    func noShippedWeights() throws {
        try copy(Self.slice, "Imgs/a.png")
        for model in ["infnet", "semi-infnet", "infnet-multiclass"] {
            var arguments = ["predict", "--model", model, "--images", tree.path("Imgs"), "--out", tree.path("OUT")]
            if model == "infnet-multiclass" { arguments += ["--priors", tree.path("Imgs")] }
            let outcome = try CommandRunner.run(arguments)
            #expect(outcome.status != 0, "\(model)")
            #expect(outcome.standardError.contains("ships no weights"), "\(model): \(outcome.standardError)")
            #expect(outcome.standardError.contains("https://github.com/DengPingFan/Inf-Net"), "\(model)")
            #expect(outcome.standardError.contains("Inf-Net-100.pth") && outcome.standardError.contains("downloads nothing"), "\(model)")
            #expect(!FileManager.default.fileExists(atPath: tree.path("OUT")), "\(model)")
        }
    }

    @Test("options of another model, a missing or doubled prior source and another network's checkpoint are named errors")
    func refusals() throws {
        try copy(Self.slice, "Imgs/a.png")
        let base = ["predict", "--images", tree.path("Imgs"), "--out", tree.path("OUT"), "--weights", Self.cosupWeights]
        let cases: [([String], String)] = [
            (["--model", "infnet", "--size", "256"], "--size is CoSupNet's"),
            (["--model", "infnet", "--side-outputs"], "--side-outputs is CoSupNet's"),
            (["--model", "infnet", "--classes"], "--model infnet-multiclass"),
            (["--model", "infnet", "--priors", tree.path("Imgs")], "are for --model infnet-multiclass"),
            (["--model", "infnet-multiclass"], "--priors FOLDER"),
            (["--model", "infnet-multiclass", "--priors", tree.path("Imgs"), "--prior-weights", Self.cosupWeights], "one of them"),
            (["--model", "infnet-multiclass", "--priors", tree.path("Imgs"), "--name", "a/b"], "--name must be a folder name"),
            (["--model", "cosupnet", "--network-size-maps"], "--network-size-maps is for"),
            (["--model", "infnet"], "a CoSupNet checkpoint (key ResNet.conv1.weight), not Inf-Net's: run it with --model cosupnet"),
            (["--model", "infnet-multiclass", "--priors", tree.path("Imgs")], "not the multi-class U-Net's checkpoint"),
        ]
        for (extra, message) in cases {
            let outcome = try CommandRunner.run(base + extra)
            #expect(outcome.status != 0, "\(extra)")
            #expect(outcome.standardError.contains(message), "\(extra): \(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: tree.path("OUT")), "\(extra)")
        }
    }

    @Test("--model infnet writes the May 2020 script's PNG (within 1 level on <= 0.2 % of the pixels), semi-infnet the same, --network-size-maps the later script's", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func infNetMaps() throws {
        try copy(Self.golden + "/input.jpg", "Imgs/81.jpg")
        for (model, extra, expected) in [("infnet", [String](), "expected.png"), ("semi-infnet", [], "expected.png"),
                                         ("infnet", ["--network-size-maps"], "expected_head352.png")] {
            let out = tree.path("OUT-\(model)\(extra.isEmpty ? "" : "-352")")
            let outcome = try CommandRunner.run(["predict", "--model", model, "--weights", Self.golden + "/weights.safetensors",
                                                 "--images", tree.path("Imgs"), "--out", out, "-q"] + extra)
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let ours = try Self.levels(out + "/81.png"), theirs = try Self.levels(Self.golden + "/" + expected)
            #expect(ours.width == theirs.width && ours.height == theirs.height && ours.bitDepth == 8)
            let differences = zip(ours.pixels, theirs.pixels).map { abs(Int($0) - Int($1)) }
            let differing = differences.filter { $0 > 0 }.count
            print("\(model) \(extra): \(differing) of \(differences.count) pixels differ, at most by \(differences.max() ?? 0)")
            #expect(differences.max()! <= 1 && differing * 500 <= differences.count, "\(model) \(extra)")
        }
    }

    @Test("--model infnet-multiclass writes the authors' 1-bit GGO and consolidation masks in the published layout; evaluate reads them; --prior-weights equals --priors fed with the native Semi-Inf-Net maps", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func multiClassMasks() throws {
        try copy(Self.multiClass + "/input.jpg", "Imgs/72.jpg")
        try copy(Self.multiClass + "/prior.png", "Priors/72.png")
        let unet = Self.multiClass + "/weights.safetensors"
        let outcome = try CommandRunner.run(["predict", "--model", "infnet-multiclass", "--weights", unet, "--priors", tree.path("Priors"),
                                             "--images", tree.path("Imgs"), "--out", tree.path("OUT"), "-q"])
        try #require(outcome.status == 0, "\(outcome.standardError)")
        for (folder, expected) in [("Ground-glass opacities", "expected_ggo.png"), ("Consolidation", "expected_consolidation.png")] {
            let ours = try Self.levels(tree.path("OUT/\(folder)/Semi-Inf-Net_UNet/72.png")), theirs = try Self.levels(Self.multiClass + "/" + expected)
            #expect(ours.bitDepth == 1 && ours.width == 267 && ours.height == 455)
            let differing = zip(ours.pixels, theirs.pixels).filter { $0 != $1 }.count
            print("\(folder): \(differing) of \(ours.pixels.count) mask pixels differ")
            #expect(differing * 2000 <= ours.pixels.count, "\(folder)")
        }
        // The published GT of slice 72 (0 background, 1 GGO, 2 consolidation) evaluates the tree as it is.
        let gt = SharedData.dataset + "/Dataset/TestingSet/MultiClassInfection-Test/GT/72.png"
        if FileManager.default.fileExists(atPath: gt) {
            try copy(gt, "Set/GT/72.png")
            let evaluation = try CommandRunner.run(["--pred", tree.path("OUT"), "--gt", tree.path("Set"), "--metrics", "dice", "-q"])
            #expect(evaluation.status == 0, "\(evaluation.standardError)")
            #expect(evaluation.standardOutput.contains("Semi-Inf-Net_UNet"), "\(evaluation.standardOutput)")
        }
        // Priors computed here vs the same maps written by --model semi-infnet and read back.
        let infnet = Self.golden + "/weights.safetensors"
        let semi = try CommandRunner.run(["predict", "--model", "semi-infnet", "--weights", infnet, "--images", tree.path("Imgs"),
                                          "--out", tree.path("Native"), "-q"])
        try #require(semi.status == 0, "\(semi.standardError)")
        for (option, value, out) in [("--priors", tree.path("Native"), "A"), ("--prior-weights", infnet, "B")] {
            let run = try CommandRunner.run(["predict", "--model", "infnet-multiclass", "--weights", unet, option, value, "--name", "Mine",
                                             "--images", tree.path("Imgs"), "--out", tree.path(out), "-q"])
            try #require(run.status == 0, "\(option): \(run.standardError)")
        }
        for folder in ["Ground-glass opacities", "Consolidation"] {
            let a = try Self.levels(tree.path("A/\(folder)/Mine/72.png")), b = try Self.levels(tree.path("B/\(folder)/Mine/72.png"))
            #expect(a.pixels == b.pixels, "\(folder)")
        }
        // A model folder with a '%' in its name is a name like any other (the summary line says it).
        let percent = try CommandRunner.run(["predict", "--model", "infnet-multiclass", "--weights", unet, "--priors", tree.path("Priors"),
                                             "--name", "50%d%@", "--images", tree.path("Imgs"), "--out", tree.path("C")])
        #expect(percent.status == 0, "\(percent.standardError)")
        #expect(percent.standardError.contains("masks for 1 slice (Ground-glass opacities/50%d%@, Consolidation/50%d%@)"), "\(percent.standardError)")
        #expect(FileManager.default.fileExists(atPath: tree.path("C/Consolidation/50%d%@/72.png")))
    }

    @Test("a slice without a prior in --priors is named before anything is written", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func missingPrior() throws {
        try copy(Self.multiClass + "/input.jpg", "Imgs/72.jpg")
        try copy(Self.multiClass + "/input.jpg", "Imgs/73.jpg")
        try copy(Self.multiClass + "/prior.png", "Priors/72.png")
        let outcome = try CommandRunner.run(["predict", "--model", "infnet-multiclass", "--weights", Self.multiClass + "/weights.safetensors",
                                             "--priors", tree.path("Priors"), "--images", tree.path("Imgs"), "--out", tree.path("OUT")])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("1 slice(s) have no prior in --priors: " + tree.path("Priors/73.png")), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("OUT")))
    }
}
