import ArgumentParser
import Evaluation
import Foundation
import ImageIO
import Inference

/// `segeval predict`: CoSupNet, Inf-Net / Semi-Inf-Net or multi-class U-Net maps for a folder of CT slices.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict lung-infection maps with CoSupNet (built-in weights), Inf-Net / Semi-Inf-Net or the multi-class U-Net (the authors' weights).",
        discussion: """
        Runs CoSupNet (Hu et al., Pattern Recognition 2022; "RPLFUnet" in the authors' code) natively \
        on the CPU (oneDNN), exactly as the authors' PyTorch code computes it, and writes one 8-bit \
        gray PNG per slice, named after the slice, at the slice's own size (round(p * 255)).

        Each slice is read as gray (as cv2.imread(path, 0)), scaled to --size x --size (bilinear), \
        standardised per image, run through the network; the probability map is resized back.

        Weights: without --weights, segeval's own trained CoSupNet (models/README.md: width 32, \
        trained on the 50 doctor-labelled COVID-SemiSeg slices; non-commercial use only). Or a PyTorch checkpoint (.pth / .pt from torch.save: a state_dict, or a dict with \
        'model_state_dict' or 'state_dict'; 'module.' prefixes are fine) or .safetensors. The \
        channel width is read from the weights. Checkpoints from the authors' code lack the fout.* \
        weights: complete them once with tools/complete_checkpoint.py (needs PyTorch).

        Examples:
          segeval predict --images Test/Imgs --out pred
          segeval --pred pred --gt Test/GT
          segeval predict --weights cosup.pth --images Test/Imgs --out pred
          segeval predict --weights w.safetensors --images Imgs --out pred \\
                          --side-outputs --threads 2
          segeval predict --weights cosup.pth --images a.png --benchmark 20

        Inf-Net family (--model; the authors' checkpoints, legacy or zip .pth/.pkl or .safetensors; \
        none is shipped: \(ModelArchitecture.infNetWeightsSource)):
          --model infnet | semi-infnet: the May 2020 test script's maps (Pillow bilinear resize to \
            352, the network's lateral_map_2 resized to the slice, sigmoid, min-max, scipy's bytescale).
          --model infnet-multiclass: the multi-class U-Net's GGO and consolidation masks (1-bit PNGs) \
            in OUT/Ground-glass opacities/NAME/ and OUT/Consolidation/NAME/, from each slice and its \
            Semi-Inf-Net prior: --priors FOLDER of <stem>.png maps, or --prior-weights to compute them.
          segeval predict --model infnet --weights Inf-Net-100.pth --images Imgs --out Results/Inf-Net
          segeval predict --model infnet-multiclass --weights unet_model_200.pkl \\
                          --prior-weights Semi-Inf-Net-100.pth --images Imgs --out Results
          segeval --pred Results --gt MultiClassInfection-Test
        """
    )

    @Option(name: .long, help: ArgumentHelp("Network weights: .pth/.pt/.pkl (torch.save, zip or legacy) or .safetensors (CoSupNet's default: the shipped \(PredictWeights.defaultFileName), or \(PredictWeights.defaultClassesFileName) with --classes; the Inf-Net family has none).", valueName: "file"))
    var weights: String?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("A folder of .png/.jpg/.jpeg slices, or one image file; repeat to add more.", valueName: "path"))
    var images: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output folder (created if needed); <stem>.png per slice, all put in place together once every slice has succeeded. Never the images folder.", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("CoSupNet's input side in pixels (multiple of 16; default 256 as the authors'). The Inf-Net family always runs at 352.", valueName: "pixels"))
    var size: Int?

    @Option(name: .long, help: ArgumentHelp("CPU threads for the network (default: all cores, or OMP_NUM_THREADS).", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Predict only shard i of n of the slices (i from 0, in file-name order; e.g. $SLURM_ARRAY_TASK_ID/8): n jobs with the same --out together write every map.", valueName: "i/n"))
    var shard: String?

    @Flag(name: .long, help: "Also write the five side outputs as <stem>_aux0.png ... <stem>_aux4.png (values in (0.5, 0.73): a double sigmoid, never threshold them at 0.5).")
    var sideOutputs = false

    @Option(name: .long, help: ArgumentHelp("Architecture: \(ModelArchitecture.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var model: ModelArchitecture = .cosupnet

    @Flag(name: .long, help: "The per-class network: a ground-glass opacity and a consolidation map per slice, written as OUT/Ground-glass opacities/CoSupNet/<stem>.png and OUT/Consolidation/CoSupNet/<stem>.png (the published Results layout; evaluate with --gt MultiClassInfection-Test).")
    var classes = false

    @Option(name: .long, help: ArgumentHelp("--model infnet-multiclass: a folder of Semi-Inf-Net maps, <stem>.png per slice (the published Results/…/Semi-Inf-Net, or predict --model semi-infnet output).", valueName: "folder"))
    var priors: String?

    @Option(name: .long, help: ArgumentHelp("--model infnet-multiclass: Semi-Inf-Net weights; each slice's prior is computed here, as --model semi-infnet would write it.", valueName: "file"))
    var priorWeights: String?

    @Option(name: .long, help: ArgumentHelp("--model infnet-multiclass: the model folder inside each class folder (default \(InfNetMultiClassPipeline.defaultName)).", valueName: "name"))
    var name: String?

    @Flag(name: .long, help: "--model infnet/semi-infnet: write the later (2020-08) test script's 352x352 map instead of the May 2020 script's map at each slice's size (the published Results).")
    var networkSizeMaps = false

    /// The shipped weights file for the network asked for.
    var defaultWeightsName: String { classes ? PredictWeights.defaultClassesFileName : PredictWeights.defaultFileName }

    @Flag(name: .long, help: "Replace files in --out that segeval did not write (its own earlier maps are always replaced; anything else, such as ground-truth masks, is refused without --force).")
    var force = false

    @Flag(name: .long, help: "Fail when the weights hold keys the network does not use (default: warn).")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Refuse a slice with more pixels than this, read from its header before decoding (default 178956970, Pillow's decompression-bomb limit).", valueName: "n"))
    var maxPixels: Int = ImageLimits.defaultMaxPixels

    @Flag(name: .shortAndLong, help: "No progress bar, warnings or summary line.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Time N forward passes on the first image (after a warm-up) and print median/min ms and the instruction set and kernels used; writes nothing.", valueName: "n"))
    var benchmark: Int?

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
        guard maxPixels >= 1 else { throw ValidationError("--max-pixels must be at least 1") }
        guard !images.isEmpty else { throw ValidationError("give the slices with --images FOLDER (or an image file)") }
        if let benchmark {
            guard benchmark >= 1 else { throw ValidationError("--benchmark needs at least 1 run") }
        } else if out == nil {
            throw ValidationError("give the output folder with --out FOLDER")
        }
        if size != nil, model != .cosupnet {
            throw ValidationError("--size is CoSupNet's: \(model.displayName) always runs at 352x352, as the authors' script does")
        }
        if !model.hasShippedWeights, weights == nil {
            throw ValidationError("\(model.displayName) needs --weights: segeval ships no weights for it; \(ModelArchitecture.infNetWeightsSource)")
        }
        if let priorWeights, !FileManager.default.fileExists(atPath: priorWeights) {
            throw ValidationError("\(priorWeights): no such weights file (--prior-weights)")
        }
        _ = try PredictWeights.resolve(weights, fileName: defaultWeightsName)
        if let shard { _ = try Shard(parsing: shard) }
    }

    /// The predictor's options from the command line.
    var options: Predictor.Options {
        var options = Predictor.Options()
        options.model = model
        options.size = size ?? 256
        options.priors = priors
        options.priorWeights = priorWeights
        options.name = name
        options.networkSizeMaps = networkSizeMaps
        options.sideOutputs = sideOutputs
        options.strict = strict
        options.threads = threads
        options.replacesOtherFiles = force
        options.classes = classes
        return options
    }

    func run() throws {
        // Errors (weights, slices, outputs) go to ArgumentParser like every command's: "Error: …", exit 1.
        ImageLimits.maxPixels = maxPixels
        var files = try ImageList.collect(images)
        if let shard {
            let part = try Shard(parsing: shard)
            let all = files.count
            files = Array(files[part.range(of: all)])
            if files.isEmpty {
                if !quiet { Terminal.note("shard \(part): no slices (\(all) in all, fewer than the \(part.count) shards); nothing to do") }
                return
            }
            if !quiet { Terminal.note("shard \(part): \(files.count) of \(all) slices") }
        }
        let weightsPath = try PredictWeights.resolve(weights, fileName: defaultWeightsName)
        let predictor = try Predictor(weightsPath: weightsPath, options: options)
        if !quiet {
            if weights == nil { Terminal.note("weights: \(weightsPath) (segeval's default \(classes ? "per-class " : "")CoSupNet; non-commercial use only)") }
            predictor.warnings.forEach { Terminal.note("warning: \($0)") }
        }
        if !quiet || benchmark != nil { Terminal.note(predictor.backendSummary) }
        if let benchmark {
            try runBenchmark(predictor, file: files[0], runs: benchmark)
            return
        }
        let progress = ProgressBar(label: "predict", quiet: quiet, unit: "images", rateDecimals: 1)
        let summary: Predictor.Summary
        do {
            summary = try predictor.run(images: files, outputFolder: out!) { done, total in progress.update(done: done, total: total) }
        } catch {
            progress.finish()  // clear the line before the error is printed
            throw error
        }
        progress.finish()
        if !quiet {
            // Built without String(format:): a folder or --name may hold a '%'.
            let count = summary.written.count, plural = count == 1 ? "" : "s"
            let what: String
            switch model {
            case .infnetMulticlass:
                let folders = InfNetMultiClassPipeline.classFolders.map { "\($0)/\(name ?? InfNetMultiClassPipeline.defaultName)" }
                what = "ground-glass opacity and consolidation masks for \(count) slice\(plural) (\(folders.joined(separator: ", ")))"
            case .infnet, .semiInfnet: what = "\(count) \(model.displayName) map\(plural)"
            case .cosupnet:
                what = classes ? "a ground-glass opacity and a consolidation map for \(count) slice\(plural) (\(OutputPlan.classFolders.joined(separator: ", ")))"
                               : "\(count) probability map\(plural)"
            }
            let threads = DNNLContext.threadCount
            Terminal.note("wrote \(what) to \(out!) in " + String(format: "%.1f s (%.2f images/s, ", summary.seconds, summary.imagesPerSecond)
                          + "\(threads) thread\(threads == 1 ? "" : "s"))")
        }
    }

    private func runBenchmark(_ predictor: Predictor, file: String, runs: Int) throws {
        let image = try SliceReader.readGray(path: file)
        let unsorted = try predictor.benchmark(image, path: file, runs: runs)
        let times = unsorted.sorted()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let gflop = predictor.gflopPerPass
        print(String(format: "forward %@, %d thread%@: median %.1f ms, min %.1f ms over %d runs; %.0f GFLOP/s (%.1f GFLOP nominal)",
                     predictor.passDescription, DNNLContext.threadCount, DNNLContext.threadCount == 1 ? "" : "s",
                     median, times[0], runs, gflop / (median / 1000), gflop))
        print("runs_ms: " + unsorted.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
}
