import ArgumentParser
import Evaluation
import Foundation
import ImageIO
import Inference

/// `segeval predict`: CoSupNet probability maps for a folder of CT slices.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict lung-infection probability maps with the built-in co-supervised network.",
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
        """
    )

    @Option(name: .long, help: ArgumentHelp("Network weights: .pth/.pt (torch.save) or .safetensors (default: the shipped \(PredictWeights.defaultFileName), or \(PredictWeights.defaultClassesFileName) with --classes).", valueName: "file"))
    var weights: String?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("A folder of .png/.jpg/.jpeg slices, or one image file; repeat to add more.", valueName: "path"))
    var images: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output folder (created if needed); <stem>.png per slice, all put in place together once every slice has succeeded. Never the images folder.", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Network input side in pixels (multiple of 16; the authors used 256).", valueName: "pixels"))
    var size: Int = 256

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
        _ = try PredictWeights.resolve(weights, fileName: defaultWeightsName)
        if let shard { _ = try Shard(parsing: shard) }
    }

    /// The predictor's options from the command line.
    var options: Predictor.Options {
        var options = Predictor.Options()
        options.model = model
        options.size = size
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
            let what = classes ? "a ground-glass opacity and a consolidation map for %d slice%@ (\(OutputPlan.classFolders.joined(separator: ", ")))"
                               : "%d probability map%@"
            Terminal.note(String(format: "wrote \(what) to %@ in %.1f s (%.2f images/s, %d thread%@)",
                                 summary.written.count, summary.written.count == 1 ? "" : "s", out!, summary.seconds,
                                 summary.imagesPerSecond, DNNLContext.threadCount, DNNLContext.threadCount == 1 ? "" : "s"))
        }
    }

    private func runBenchmark(_ predictor: Predictor, file: String, runs: Int) throws {
        let image = try SliceReader.readGray(path: file)
        let unsorted = try predictor.benchmark(image, runs: runs)
        let times = unsorted.sorted()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        // 91.2 GFLOP per 256x256 image at width 64 (multiply-add = 2 FLOP), scaled by area and width^2.
        let scale = Double(size * size) / 65536 * Double(predictor.channelWidth * predictor.channelWidth) / 4096
        let gflop = 91.2 * scale
        print(String(format: "forward %dx%d, width %d, %d thread%@: median %.1f ms, min %.1f ms over %d runs; %.0f GFLOP/s (%.1f GFLOP nominal)",
                     size, size, predictor.channelWidth, DNNLContext.threadCount, DNNLContext.threadCount == 1 ? "" : "s",
                     median, times[0], runs, gflop / (median / 1000), gflop))
        print("runs_ms: " + unsorted.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
}
