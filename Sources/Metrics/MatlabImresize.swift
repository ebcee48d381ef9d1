import Foundation

/// MATLAB's `imresize(image, [rows cols])` with its defaults (bicubic, antialiasing when
/// shrinking), for one channel of an integer image, as the toolbox applies it to a prediction
/// whose size differs from its ground truth (spec section 2):
/// - separable, one pass per dimension, the dimension with the smaller scale first;
/// - output index x (1-based) maps to u = x/s + 0.5 (1 - 1/s); Keys cubic, a = -0.5; when
///   shrinking, h(t) = s * cubic(s t) with width 4/s; taps floor(u - width/2) + 0...ceil(width)+1,
///   weights normalised per output; out-of-range taps mirror (1..n, n..1, ...); all-zero tap
///   columns dropped;
/// - after each pass the values are rounded half away from zero and saturated to the class range.
public enum MatlabImresize {
    /// - Parameters:
    ///   - samples: row-major values in 0...maxValue.
    ///   - maxValue: 255 for uint8, 65535 for uint16.
    public static func resize(_ samples: [Int], width: Int, height: Int, toWidth: Int, toHeight: Int, maxValue: Int) -> [Int] {
        precondition(samples.count == width * height && toWidth > 0 && toHeight > 0)
        let rowScale = Double(toHeight) / Double(height)
        let columnScale = Double(toWidth) / Double(width)
        var current = samples
        var currentWidth = width, currentHeight = height
        // `[~, order] = sort(scale)`: stable, dimension 1 (rows) first on a tie.
        let rowsFirst = rowScale <= columnScale
        for pass in 0..<2 {
            let alongRows = (pass == 0) == rowsFirst
            if alongRows {
                guard toHeight != currentHeight || rowScale != 1 else { continue }
                current = resizeRows(current, width: currentWidth, height: currentHeight, to: toHeight, maxValue: maxValue)
                currentHeight = toHeight
            } else {
                guard toWidth != currentWidth || columnScale != 1 else { continue }
                current = transpose(current, width: currentWidth, height: currentHeight)
                current = resizeRows(current, width: currentHeight, height: currentWidth, to: toWidth, maxValue: maxValue)
                current = transpose(current, width: currentHeight, height: toWidth)
                currentWidth = toWidth
            }
        }
        return current
    }

    /// Resizes a logical image as MATLAB does: as uint8 0/255, then `> 128`.
    public static func resizeLogical(_ bits: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        let resized = resize(bits.map { $0 != 0 ? 255 : 0 }, width: width, height: height,
                             toWidth: toWidth, toHeight: toHeight, maxValue: 255)
        return resized.map { $0 > 128 ? 1 : 0 }
    }

    /// The contributions of input indices (0-based) to each output index, along one dimension.
    public static func contributions(inputLength: Int, outputLength: Int) -> [(indices: [Int], weights: [Double])] {
        let scale = Double(outputLength) / Double(inputLength)
        let antialias = scale < 1
        let kernelWidth = antialias ? 4.0 / scale : 4.0
        let kernel: (Double) -> Double = antialias ? { scale * cubic(scale * $0) } : { cubic($0) }
        let taps = Int(kernelWidth.rounded(.up)) + 2
        var table: [(indices: [Int], weights: [Double])] = []
        var rawTaps: [[Int]] = []
        var rawWeights: [[Double]] = []
        for x in 1...outputLength {
            let u = Double(x) / scale + 0.5 * (1 - 1 / scale)
            let left = Int((u - kernelWidth / 2).rounded(.down))
            let indices = (0..<taps).map { left + $0 }
            var weights = indices.map { kernel(u - Double($0)) }
            var total = 0.0
            for weight in weights { total += weight }
            weights = weights.map { $0 / total }
            rawTaps.append(indices)
            rawWeights.append(weights)
        }
        // Drop tap columns whose weights are zero for every output.
        let keep = (0..<taps).filter { column in rawWeights.contains { $0[column] != 0 } }
        for output in 0..<outputLength {
            let indices = keep.map { mirror(rawTaps[output][$0], length: inputLength) }
            let weights = keep.map { rawWeights[output][$0] }
            table.append((indices, weights))
        }
        return table
    }

    /// Keys cubic convolution kernel, a = -0.5.
    static func cubic(_ t: Double) -> Double {
        let x = abs(t)
        let x2 = x * x
        let x3 = x2 * x
        if x <= 1 { return 1.5 * x3 - 2.5 * x2 + 1 }
        if x <= 2 { return -0.5 * x3 + 2.5 * x2 - 4 * x + 2 }
        return 0
    }

    /// 1-based index j mirrored into 1...n (`aux = [1:n, n:-1:1]`), returned 0-based.
    static func mirror(_ index: Int, length: Int) -> Int {
        let period = 2 * length
        var m = (index - 1) % period
        if m < 0 { m += period }
        return m < length ? m : period - 1 - m
    }

    private static func resizeRows(_ samples: [Int], width: Int, height: Int, to outputHeight: Int, maxValue: Int) -> [Int] {
        let table = contributions(inputLength: height, outputLength: outputHeight)
        var output = [Int](repeating: 0, count: width * outputHeight)
        for (row, contribution) in table.enumerated() {
            for column in 0..<width {
                var sum = 0.0
                for (index, weight) in zip(contribution.indices, contribution.weights) {
                    sum += weight * Double(samples[index * width + column])
                }
                let rounded = Int(sum.rounded(.toNearestOrAwayFromZero))
                output[row * width + column] = min(max(rounded, 0), maxValue)
            }
        }
        return output
    }

    private static func transpose(_ samples: [Int], width: Int, height: Int) -> [Int] {
        var output = [Int](repeating: 0, count: samples.count)
        for row in 0..<height {
            for column in 0..<width { output[column * height + row] = samples[row * width + column] }
        }
        return output
    }
}
