/// The authors' preprocessing (spec section 2), exactly: gray / 255 in double, bilinear resize to
/// the network size, standardisation with the population standard deviation plus 1e-8, then
/// float32 last.
public enum Preprocessing {
    /// The network input for `image` at `height` x `width`, row-major.
    public static func networkInput(_ image: GrayImage, height: Int, width: Int) -> [Float] {
        let scaled = image.pixels.map { Double($0) / 255 }
        let resized = BilinearResize.resize(scaled, height: image.height, width: image.width, toHeight: height, toWidth: width)
        return standardised(resized).map { Float($0) }
    }

    /// (x - mean) / (std + 1e-8), numpy's float64 mean and std (ddof 0). numpy sums with pairwise
    /// summation; the difference to this compensated sum is far below float32 resolution.
    static func standardised(_ values: [Double]) -> [Double] {
        let n = Double(values.count)
        let mean = kahanSum(values) / n
        let variance = kahanSum(values.map { ($0 - mean) * ($0 - mean) }) / n
        let denominator = variance.squareRoot() + 1e-8
        return values.map { ($0 - mean) / denominator }
    }

    static func kahanSum(_ values: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for value in values {
            let y = value - compensation
            let t = sum + y
            compensation = (t - sum) - y
            sum = t
        }
        return sum
    }
}
