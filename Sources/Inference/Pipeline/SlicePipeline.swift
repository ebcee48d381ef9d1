import Files
import ImageIO

/// What `segeval predict` runs per slice for one model: the files it writes for a slice, how they
/// are computed from the slice, and one timed forward pass for `--benchmark`. `Predictor` owns the
/// rest (listing, output plan, staging, all or nothing), the same for every model.
protocol SlicePipeline: AnyObject {
    /// The instruction set, threads, layout and kernels the network runs with, in one line.
    var backendSummary: String { get }
    /// What one forward pass is, e.g. "Inf-Net 352x352", and its nominal cost in GFLOP
    /// (a multiply-add counted as 2).
    var passDescription: String { get }
    var gflopPerPass: Double { get }
    /// The files written for a slice named `stem`, relative to the output folder, in the order of
    /// `outputs(for:path:)`.
    func outputNames(stem: String) -> [String]
    /// Checks, before any slice is read, that what the pipeline needs besides the slices is there
    /// (the multi-class U-Net's prior files); throws naming what is missing.
    func checkInputs(for slices: [String]) throws
    /// The slice's output images.
    func outputs(for image: GrayImage, path: String) throws -> [SliceImage]
    /// The slice's network input prepared once, and a closure that runs one forward pass on it.
    func forwardPass(for image: GrayImage, path: String) throws -> () throws -> Void
}

extension SlicePipeline {
    func checkInputs(for slices: [String]) throws {}
}

/// One image predict writes: gray samples of `bitDepth` bits (8: levels 0...255; 1: 0 or 1).
struct SliceImage {
    var width: Int
    var height: Int
    var bitDepth: Int
    var samples: [UInt8]

    /// The PNG file, marked as segeval's (`ProbabilityImage.software`).
    func png() throws(FileError) -> [UInt8] {
        try PNGCodec.encode(DecodedImage(width: width, height: height, bitDepth: bitDepth, colorKind: .gray, samples: .uint8(samples)),
                            software: ProbabilityImage.software)
    }
}
