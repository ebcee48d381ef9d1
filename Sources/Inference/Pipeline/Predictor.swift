import Foundation
import ImageIO
import Output
import Files

/// What `segeval predict` does, as a library: load and check weights, build the model's network
/// once (`SlicePipeline`: CoSupNet, Inf-Net / Semi-Inf-Net, the multi-class U-Net), then for each
/// slice read it as gray, compute its maps and write them (`<stem>.png`, side outputs, or class
/// folders), all or nothing.
public final class Predictor {
    public struct Options: Sendable {
        public var model: ModelArchitecture = .cosupnet
        /// CoSupNet's input side (height = width); divisible by 16. The authors used 256. (The
        /// Inf-Net family's scripts always feed 352.)
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
        /// Inf-Net: write the later (HEAD) script's 352 x 352 map instead of the May 2020 script's
        /// map at the slice's size (`--network-size-maps`).
        public var networkSizeMaps = false
        /// The multi-class U-Net's priors: a folder of Semi-Inf-Net maps `<stem>.png` ...
        public var priors: String?
        /// ... or Semi-Inf-Net weights, to compute them natively.
        public var priorWeights: String?
        /// The multi-class U-Net's model folder name inside each class folder.
        public var name: String?

        public init() {}

        /// What is wrong with these options, if anything (the one place they are checked: the
        /// command line's validation and `Predictor.init` both ask here).
        public var problem: String? {
            if size < 16 || size % 16 != 0 { return "--size must be a positive multiple of 16 (got \(size))" }
            if let threads, threads < 1 { return "--threads must be at least 1 (got \(threads))" }
            if classes && sideOutputs {
                return "--side-outputs is for the binary network: the per-class network's side outputs are infection maps, not classes (drop one of --classes, --side-outputs)"
            }
            if model != .cosupnet {
                if sideOutputs { return "--side-outputs is CoSupNet's (\(model.displayName) writes its prediction only)" }
                if classes { return "--classes is CoSupNet's per-class network; Inf-Net's classes come from --model infnet-multiclass" }
            }
            if model != .infnet && model != .semiInfnet && networkSizeMaps {
                return "--network-size-maps is for --model infnet or semi-infnet"
            }
            if model == .infnetMulticlass {
                if (priors == nil) == (priorWeights == nil) {
                    return "--model infnet-multiclass needs the Semi-Inf-Net prior of every slice: --priors FOLDER (its <stem>.png maps) or --prior-weights Semi-Inf-Net-100.pth (computed here), one of them"
                }
                if let name, name.isEmpty || name.contains("/") || name == "." || name == ".." {
                    return "--name must be a folder name (got \"\(name)\")"
                }
            } else if priors != nil || priorWeights != nil || name != nil {
                return "--priors, --prior-weights and --name are for --model infnet-multiclass"
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
    /// The instruction set, threads, layout and kernels the network runs with, e.g.
    /// "cpu: avx512_core, 2 threads; nChw16c; 3x3 convolutions: winograd (avx512 kernels); post-ops fused".
    public var backendSummary: String { pipeline.backendSummary }
    /// What one forward pass is ("Inf-Net 352x352") and its nominal GFLOP, for benchmarks.
    public var passDescription: String { pipeline.passDescription }
    public var gflopPerPass: Double { pipeline.gflopPerPass }
    private let pipeline: any SlicePipeline

    /// Loads `weightsPath` (.pth, legacy .pth/.pkl or .safetensors) and builds the network.
    /// Throws `FileError` or `InferenceError`, naming what went wrong.
    public init(weightsPath: String, options: Options) throws {
        if let problem = options.problem { throw InferenceError(problem) }
        if let threads = options.threads { DNNLContext.setThreadCount(threads) }
        self.options = options
        let stateDict = try WeightFile.load(path: weightsPath)
        var warnings: [String] = []
        func unexpected(_ keys: [String], network: String, path: String) throws {
            guard !keys.isEmpty else { return }
            let message = "\(path): \(keys.count) key(s) that \(network) does not use: \(StateDictLayout.list(keys))"
            if options.strict { throw InferenceError(message + " (--strict)") }
            warnings.append(message + "; ignored")
        }
        switch options.model {
        case .cosupnet:
            let weights = try CoSupWeights(stateDict, source: weightsPath)
            if options.classes, weights.outputs != 3 {
                throw InferenceError("\(weightsPath): binary weights (out1 has \(weights.outputs) channel); --classes needs the per-class network's weights (out1 with 3 channels: background, ground-glass opacities, consolidation)")
            }
            if !options.classes, weights.outputs == 3 {
                throw InferenceError("\(weightsPath): per-class weights (out1 has 3 channels: background, ground-glass opacities, consolidation); add --classes to write a map per class")
            }
            try unexpected(weights.unexpectedKeys, network: "CoSupNet", path: weightsPath)
            pipeline = CoSupPipeline(network: try CoSupNet(weights: weights, height: options.size, width: options.size,
                                                           sideOutputs: options.sideOutputs, context: try DNNLContext()),
                                     classes: options.classes)
        case .infnet, .semiInfnet:
            let weights = try InfNetWeights(stateDict, source: weightsPath)
            try unexpected(weights.unexpectedKeys, network: "Inf-Net", path: weightsPath)
            pipeline = InfNetPipeline(network: try InfNet(weights: weights, context: try DNNLContext()),
                                      name: options.model.displayName, networkSize: options.networkSizeMaps)
        case .infnetMulticlass:
            let weights = try InfNetUNetWeights(stateDict, source: weightsPath)
            try unexpected(weights.unexpectedKeys, network: "the multi-class U-Net", path: weightsPath)
            let priors: InfNetMultiClassPipeline.Priors
            if let folder = options.priors {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                    throw InferenceError("\(folder): no such folder (--priors: the Semi-Inf-Net maps, <stem>.png per slice)")
                }
                priors = .folder(folder)
            } else {
                let path = options.priorWeights!
                let priorWeights = try InfNetWeights(try WeightFile.load(path: path), source: path)
                try unexpected(priorWeights.unexpectedKeys, network: "Inf-Net", path: path)
                priors = .network(InfNetPipeline(network: try InfNet(weights: priorWeights, context: try DNNLContext()),
                                                 name: "Semi-Inf-Net", networkSize: false))
            }
            pipeline = InfNetMultiClassPipeline(network: try InfNetUNet(weights: weights, context: try DNNLContext()), priors: priors,
                                                name: options.name ?? InfNetMultiClassPipeline.defaultName)
        }
        self.warnings = warnings
    }

    /// CoSupNet only: the maps of one gray slice at the slice's own size.
    public func predict(_ image: GrayImage) throws(InferenceError) -> Maps {
        guard let cosup = pipeline as? CoSupPipeline else {
            throw InferenceError("Predictor.predict gives CoSupNet's maps; \(options.model.displayName) writes its own (run)")
        }
        return try cosup.maps(image)
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
            let plan = try OutputPlan(images: images, folder: creation.path, names: pipeline.outputNames)
            try pipeline.checkInputs(for: images)
            for folder in plan.subfolders {
                do {
                    subfolders.append(try FolderCreation.create((creation.path as NSString).appendingPathComponent(folder)))
                } catch {
                    throw InferenceError(error.description)
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
            for (output, name) in zip(try pipeline.outputs(for: image, path: path), plan.names[index]) {
                try batch.stage(try output.png(), as: name)
            }
            progress?(index + 1, images.count)
        }
        try batch.commit()
        let written = plan.names.map { (outputFolder as NSString).appendingPathComponent($0[0]) }
        return Summary(written: written, seconds: Date().timeIntervalSince(start))
    }

    /// Times `runs` forward passes (network only: no decoding, preprocessing or writing) on the
    /// preprocessed slice at `path`, after one warm-up pass. Returns milliseconds per pass.
    public func benchmark(_ image: GrayImage, path: String, runs: Int) throws -> [Double] {
        let pass = try pipeline.forwardPass(for: image, path: path)
        try pass()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try pass()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times
    }
}
