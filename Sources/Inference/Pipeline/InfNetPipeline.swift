/// Inf-Net's and Semi-Inf-Net's slice pipeline (`predict --model infnet|semi-infnet`), as the
/// authors' May 2020 test script made the published maps (Inf-Net spec, sections 2 and 5.1): the
/// slice resized to 352 x 352 with Pillow's bilinear filter (`PillowResize`), the ImageNet
/// normalisation of its three equal planes, the network's `lateral_map_2`, resized to the
/// slice's size, sigmoid, min-max, and the 8-bit levels `scipy.misc.imsave` writes
/// (`InfNetPostprocessing`). With `networkSize`, the later script's map: no resize back, 352 x 352
/// (spec 5.2).
final class InfNetPipeline: SlicePipeline {
    let network: InfNet
    let name: String
    /// The later script's output: the map stays at the network's 352 x 352.
    let networkSize: Bool

    init(network: InfNet, name: String, networkSize: Bool) {
        self.network = network
        self.name = name
        self.networkSize = networkSize
    }

    var backendSummary: String { network.backendSummary }
    var passDescription: String { "\(name) \(network.height)x\(network.width)" }
    /// 27.7 GFLOP per 352 x 352 slice (spec), scaled by area.
    var gflopPerPass: Double { 27.7 * Double(network.height * network.width) / (352 * 352) }

    func outputNames(stem: String) -> [String] { [stem + ".png"] }

    /// The network's input for a slice: Pillow's bilinear resize to the network size, normalised.
    func networkInput(_ image: GrayImage) -> [Float] {
        ImageNetNormalization.tensor(fromGray: PillowResize.bilinear(image, toWidth: network.width, toHeight: network.height))
    }

    /// The 8-bit map the authors' script writes for the slice.
    func map(_ image: GrayImage) throws(InferenceError) -> SliceImage {
        let logits = try network.forward(networkInput(image)).prediction
        if networkSize {
            let levels = InfNetPostprocessing.pngLevels(InfNetPostprocessing.probabilityAtNetworkSize(logits: logits, size: network.height).probability)
            return SliceImage(width: network.width, height: network.height, bitDepth: 8, samples: levels)
        }
        let probability = InfNetPostprocessing.probability(logits: logits, size: network.height, toWidth: image.width, toHeight: image.height).probability
        return SliceImage(width: image.width, height: image.height, bitDepth: 8, samples: InfNetPostprocessing.pngLevels(probability))
    }

    func outputs(for image: GrayImage, path: String) throws -> [SliceImage] { [try map(image)] }

    func forwardPass(for image: GrayImage, path: String) throws -> () throws -> Void {
        let input = networkInput(image)
        return { _ = try self.network.forward(input) }
    }
}
