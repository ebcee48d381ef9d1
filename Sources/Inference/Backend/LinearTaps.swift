/// One axis of a two-tap (linear) resize: output `o` reads input samples `first[o]` and
/// `second[o]` with weights `weightFirst[o]` and `weightSecond[o]`. How the taps are placed and
/// how they combine is each resize's own contract (`InfNetPostprocessing.taps`: PyTorch's
/// align_corners=False; `AlignCornersResize.taps`: align_corners=True).
struct LinearTaps: Equatable {
    var first: [Int] = []
    var second: [Int] = []
    var weightFirst: [Float] = []
    var weightSecond: [Float] = []
}
