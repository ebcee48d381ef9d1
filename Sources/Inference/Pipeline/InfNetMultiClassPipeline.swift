import Files
import Foundation

/// "Semi-Inf-Net + multi-class UNet" (`predict --model infnet-multiclass`), as the authors'
/// MyTest_MulClsLungInf_UNet.py and split_class.py write it (Inf-Net spec, section 9): the slice
/// and its Semi-Inf-Net prior into the 6-channel input (`InfNetMultiClass.input`), the U-Net, the
/// class map, and the ground-glass-opacity and consolidation masks at the slice's size as 1-bit
/// PNGs in the published layout `Ground-glass opacities/<name>/<stem>.png` and
/// `Consolidation/<name>/<stem>.png`.
///
/// The prior of a slice is either the PNG `<stem>.png` in a folder (what the authors' script
/// reads: Semi-Inf-Net's published maps, or `predict --model semi-infnet` output), read as gray;
/// or computed by the native Semi-Inf-Net (`InfNetPipeline`): the same 8-bit map it would write.
public final class InfNetMultiClassPipeline: SlicePipeline {
    enum Priors {
        case folder(String)
        case network(InfNetPipeline)
    }

    let network: InfNetUNet
    let priors: Priors
    /// The model folder inside each class folder (the authors': "Semi-Inf-Net_UNet").
    let name: String
    public static let defaultName = "Semi-Inf-Net_UNet"
    public static let classFolders = ["Ground-glass opacities", "Consolidation"]

    init(network: InfNetUNet, priors: Priors, name: String) {
        self.network = network
        self.priors = priors
        self.name = name
    }

    var backendSummary: String {
        if case .network(let prior) = priors { return network.backendSummary + " (prior network: " + prior.backendSummary + ")" }
        return network.backendSummary
    }
    var passDescription: String { "multi-class U-Net \(network.height)x\(network.width)" }
    /// 151.6 GFLOP per 352 x 352 slice (spec 9.2), scaled by area.
    var gflopPerPass: Double { 151.6 * Double(network.height * network.width) / (352 * 352) }

    func outputNames(stem: String) -> [String] { Self.classFolders.map { "\($0)/\(name)/\(stem).png" } }

    /// The prior file of a slice in a priors folder: `<stem>.png`.
    static func priorPath(folder: String, slice: String) -> String {
        (folder as NSString).appendingPathComponent(FolderListing.stem(slice) + ".png")
    }

    /// With a priors folder: every slice's prior file is there (checked before any work).
    func checkInputs(for slices: [String]) throws {
        guard case .folder(let folder) = priors else { return }
        let missing = slices.filter { !FileManager.default.fileExists(atPath: Self.priorPath(folder: folder, slice: $0)) }
        guard !missing.isEmpty else { return }
        let shown = missing.prefix(5).map { Self.priorPath(folder: folder, slice: $0) }
        throw InferenceError("\(missing.count) slice(s) have no prior in --priors: \(shown.joined(separator: ", "))\(missing.count > 5 ? ", …" : "") (the Semi-Inf-Net map of slice <stem>.jpg is <stem>.png)")
    }

    func prior(for image: GrayImage, path: String) throws -> GrayImage {
        switch priors {
        case .folder(let folder): return try SliceReader.readGray(path: Self.priorPath(folder: folder, slice: path))
        case .network(let pipeline):
            let map = try pipeline.map(image)
            return GrayImage(width: map.width, height: map.height, pixels: map.samples)
        }
    }

    func outputs(for image: GrayImage, path: String) throws -> [SliceImage] {
        let input = InfNetMultiClass.input(image: image, prior: try prior(for: image, path: path))
        let size = network.height
        let classes = InfNetMultiClass.classMap(logits: try network.forward(input), size: size)
        let masks = InfNetMultiClass.split(InfNetMultiClass.bytescaled(classes), size: size, toWidth: image.width, toHeight: image.height)
        return [masks.groundGlass, masks.consolidation].map { mask in
            SliceImage(width: image.width, height: image.height, bitDepth: 1, samples: mask.map { $0 == 0 ? 0 : 1 })
        }
    }

    func forwardPass(for image: GrayImage, path: String) throws -> () throws -> Void {
        let input = InfNetMultiClass.input(image: image, prior: try prior(for: image, path: path))
        return { _ = try self.network.forward(input) }
    }
}
