import Foundation
import ImageIO
import Output
import Files

/// What `segeval predict` does, as a library: load and check weights, build the network once,
/// then for each slice read it as gray, preprocess, run, resize back and write `<stem>.png`
/// (and `<stem>_aux0.png` ... `<stem>_aux4.png` with side outputs), all or nothing.
public final class Predictor {
    public struct Options: Sendable {
        public var model: ModelArchitecture = .cosupnet
        /// Network input side (height = width); divisible by 16. The authors used 256.
        public var size: Int = 256
        public var sideOutputs = false
        /// Unexpected keys in the weights are an error instead of a warning.
        public var strict = false
        /// oneDNN (OpenMP) threads; nil keeps the default (all cores or OMP_NUM_THREADS).
        public var threads: Int?
        /// Replace files in the output folder that segeval did not write (`--force`); its own
        /// earlier maps are always replaced.
        public var replacesOtherFiles = false
        /// The per-class network (`--classes`): weights with a 3-channel head, maps written per
        /// class in the published Results layout (`OutputPlan.classFolders`).
        public var classes = false

        public init() {}

        /// What is wrong with these options, if anything (the one place they are checked: the
        /// command line's validation and `Predictor.init` both ask here).
        public var problem: String? {
            if size < 16 || size % 16 != 0 { return "--size must be a positive multiple of 16 (got \(size))" }
            if let threads, threads < 1 { return "--threads must be at least 1 (got \(threads))" }
            if classes && sideOutputs {
                return "--side-outputs is for the binary network: the per-class network's side outputs are infection maps, not classes (drop one of --classes, --side-outputs)"
            }
            return nil
        }
    }

    /// One slice's result at its own size.
    public struct Maps: Sendable {
        public var width: Int
        public var height: Int
        public var probability: [Float]
        public var sideOutputs: [[Float]]
        /// The per-class network's maps: ground-glass opacities, then consolidation.
        public var classes: [[Float]] = []
    }

    public struct Summary: Sendable {
        public var written: [String]
        public var seconds: Double
        public var imagesPerSecond: Double { seconds > 0 ? Double(written.count) / seconds : 0 }
    }

    public let options: Options
    /// Non-fatal findings about the weights (unexpected keys), for the caller to print.
    public let warnings: [String]
    /// Channel width read from the weights.
    public let channelWidth: Int
    /// The instruction set, threads, layout and kernels the network runs with, e.g.
    /// "cpu: avx512_core, 2 threads; nChw16c; 3x3 convolutions: winograd (avx512 kernels); post-ops fused".
    public var backendSummary: String { network.backendSummary }
    private let network: any SegmentationNetwork

    /// Loads `weightsPath` (.pth or .safetensors) and builds the network.
    /// Throws `FileError`, `InferenceError` or `InferenceError`, all naming what went wrong.
    public init(weightsPath: String, options: Options) throws {
        if let problem = options.problem { throw InferenceError(problem) }
        if let threads = options.threads { DNNLContext.setThreadCount(threads) }
        self.options = options
        let stateDict = try WeightFile.load(path: weightsPath)
        switch options.model {
        case .cosupnet:
            let weights = try CoSupWeights(stateDict, source: weightsPath)
            if options.classes, weights.outputs != 3 {
                throw InferenceError("\(weightsPath): binary weights (out1 has \(weights.outputs) channel); --classes needs the per-class network's weights (out1 with 3 channels: background, ground-glass opacities, consolidation)")
            }
            if !options.classes, weights.outputs == 3 {
                throw InferenceError("\(weightsPath): per-class weights (out1 has 3 channels: background, ground-glass opacities, consolidation); add --classes to write a map per class")
            }
            var warnings: [String] = []
            if !weights.unexpectedKeys.isEmpty {
                let message = "\(weightsPath): \(weights.unexpectedKeys.count) key(s) that CoSupNet does not use: \(CoSupWeights.list(weights.unexpectedKeys))"
                if options.strict { throw InferenceError(message + " (--strict)") }
                warnings.append(message + "; ignored")
            }
            self.warnings = warnings
            channelWidth = weights.width
            network = try CoSupNet(weights: weights, height: options.size, width: options.size,
                                   sideOutputs: options.sideOutputs, context: try DNNLContext())
        }
    }

    /// Predicts one gray slice; maps come back at the slice's own size.
    public func predict(_ image: GrayImage) throws(InferenceError) -> Maps {
        let input = Preprocessing.networkInput(image, height: network.inputHeight, width: network.inputWidth)
        let output = try network.infer(input)
        let from = (output.height, output.width)
        var maps = Maps(width: image.width, height: image.height,
                        probability: ProbabilityImage.resize(output.probability, from: from, to: image.height, image.width),
                        sideOutputs: output.sideOutputs.map { ProbabilityImage.resize($0, from: from, to: image.height, image.width) })
        maps.classes = output.classProbabilities.map { ProbabilityImage.resize($0, from: from, to: image.height, image.width) }
        return maps
    }

    /// Predicts every file in `images` into `outputFolder` (created if needed), all or nothing.
    /// `outputFolder` may be neither a folder holding an input slice nor inside one. The names are
    /// checked first (`OutputPlan`: no clashes, no input replaced), each map is
    /// staged under a temporary name as it is computed, and only when every slice has succeeded
    /// are they renamed into place. An unreadable slice stops the run and leaves `outputFolder` as
    /// it was (a folder it created is removed again). `progress` is called after each slice with
    /// (done, total).
    public func run(images: [String], outputFolder: String, progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        // Never into the images folder, by any path, not even beside a JPEG slice (`18.png` there
        // would be read as a slice by the next run): refused before anything is created.
        var inputs = ProtectedInputs()
        for folder in Set(images.map { image in
            let parent = (image as NSString).deletingLastPathComponent
            return parent.isEmpty ? "." : parent
        }).sorted() {
            inputs.add(folder, option: "--images")
        }
        do throws(OutputError) { try inputs.check(outputFolder) } catch { throw InferenceError(error.description) }
        // The folder first, so that the plan can see an input behind any path to it (a link, or
        // `new/../Imgs`, which `FolderCreation` resolves). A failed run removes what it created.
        let creation: FolderCreation
        do {
            creation = try FolderCreation.create(outputFolder)
        } catch {
            throw InferenceError(error.description)
        }
        var subfolders: [FolderCreation] = []
        do {
            let plan = try OutputPlan(images: images, folder: creation.path, sideOutputs: options.sideOutputs, classes: options.classes)
            if options.classes {
                for folder in OutputPlan.classFolders {
                    do {
                        subfolders.append(try FolderCreation.create((creation.path as NSString).appendingPathComponent(folder)))
                    } catch {
                        throw InferenceError(error.description)
                    }
                }
            }
            return try run(images: images, into: plan, progress: progress)
        } catch {
            for folder in subfolders.reversed() { folder.removeIfEmpty() }
            creation.removeIfEmpty()
            throw error
        }
    }

    private func run(images: [String], into plan: OutputPlan, progress: ((Int, Int) -> Void)?) throws -> Summary {
        let outputFolder = plan.folder
        let others = plan.otherFilesToReplace()
        if !others.isEmpty, !options.replacesOtherFiles {
            let shown = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? " (and \(others.count - 5) more)" : "")
            throw InferenceError("\(outputFolder): \(others.count) file(s) there would be replaced that segeval predict did not write: \(shown). Choose another --out folder, or pass --force to replace them.")
        }
        let start = Date()
        let batch = StagedFiles(folder: outputFolder)
        for (index, path) in images.enumerated() {
            let image = try SliceReader.readGray(path: path)
            let maps = try predict(image)
            let names = plan.names[index]
            // The binary network: the map, then any side outputs; the per-class one: a map per class.
            let written = options.classes ? maps.classes : [maps.probability] + maps.sideOutputs
            for (map, name) in zip(written, names) {
                try batch.stage(try ProbabilityImage.png(map, width: maps.width, height: maps.height), as: name)
            }
            progress?(index + 1, images.count)
        }
        try batch.commit()
        let written = plan.names.map { (outputFolder as NSString).appendingPathComponent($0[0]) }
        return Summary(written: written, seconds: Date().timeIntervalSince(start))
    }

    /// Times `runs` forward passes (network only: no decoding, preprocessing or writing) on the
    /// preprocessed `image`, after one warm-up pass. Returns milliseconds per pass.
    public func benchmark(_ image: GrayImage, runs: Int) throws(InferenceError) -> [Double] {
        let input = Preprocessing.networkInput(image, height: network.inputHeight, width: network.inputWidth)
        _ = try network.infer(input)
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try network.infer(input)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times
    }
}
