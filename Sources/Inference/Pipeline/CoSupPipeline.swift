/// CoSupNet's slice pipeline (`predict --model cosupnet`, the default): the slice scaled to the
/// network size and standardised (`Preprocessing`), the network, the maps resized back to the
/// slice's size and written as round(p * 255); side outputs or, for the per-class network, one
/// map per class in the published Results layout.
final class CoSupPipeline: SlicePipeline {
    let network: CoSupNet
    let classes: Bool

    init(network: CoSupNet, classes: Bool) {
        self.network = network
        self.classes = classes
    }

    var backendSummary: String { network.backendSummary }
    var passDescription: String { "CoSupNet \(network.height)x\(network.width), width \(network.channels)" }
    /// 91.2 GFLOP per 256x256 image at width 64, scaled by area and width squared.
    var gflopPerPass: Double {
        91.2 * Double(network.height * network.width) / 65536 * Double(network.channels * network.channels) / 4096
    }

    func outputNames(stem: String) -> [String] {
        classes ? OutputPlan.classFolders.map { "\($0)/\(stem).png" }
            : [stem + ".png"] + (network.sideOutputs ? (0..<OutputPlan.sideOutputCount).map { "\(stem)_aux\($0).png" } : [])
    }

    /// The maps at the slice's own size.
    func maps(_ image: GrayImage) throws(InferenceError) -> Predictor.Maps {
        let output = try network.forward(Preprocessing.networkInput(image, height: network.height, width: network.width))
        let from = (output.height, output.width)
        var maps = Predictor.Maps(width: image.width, height: image.height,
                                  probability: ProbabilityImage.resize(output.probability, from: from, to: image.height, image.width),
                                  sideOutputs: output.sideOutputs.map { ProbabilityImage.resize($0, from: from, to: image.height, image.width) })
        maps.classes = output.classProbabilities.map { ProbabilityImage.resize($0, from: from, to: image.height, image.width) }
        return maps
    }

    func outputs(for image: GrayImage, path: String) throws -> [SliceImage] {
        let maps = try maps(image)
        let written = classes ? maps.classes : [maps.probability] + maps.sideOutputs
        return written.map { SliceImage(width: maps.width, height: maps.height, bitDepth: 8, samples: ProbabilityImage.quantise($0)) }
    }

    func forwardPass(for image: GrayImage, path: String) throws -> () throws -> Void {
        let input = Preprocessing.networkInput(image, height: network.height, width: network.width)
        return { _ = try self.network.forward(input) }
    }
}
