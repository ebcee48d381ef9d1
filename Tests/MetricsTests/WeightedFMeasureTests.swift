import Foundation
import SegevalTestSupport
import Testing
@testable import Metrics

@Suite("Weighted F-measure and its parts")
struct WeightedFMeasureTests {
    @Test("distance transform equals brute force", arguments: [UInt64(1), 2, 3, 4])
    func distanceTransform(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let width = 17, height = 13
        let features = (0..<width * height).map { _ in UInt8(rng.next() % 9 == 0 ? 1 : 0) }
        let (distance, nearest) = DistanceTransform.nearestFeature(isFeature: features, width: width, height: height)
        for row in 0..<height {
            for column in 0..<width {
                var best = Double.infinity
                for r in 0..<height {
                    for c in 0..<width where features[r * width + c] != 0 {
                        best = min(best, Double((r - row) * (r - row) + (c - column) * (c - column)))
                    }
                }
                let index = row * width + column
                #expect(distance[index] == best)
                let n = Int(nearest[index])
                #expect(features[n] == 1)
                let dr = n / width - row, dc = n % width - column
                #expect(Double(dr * dr + dc * dc) == best)
            }
        }
    }

    @Test("Gaussian kernel equals fspecial('gaussian', 7, 5)")
    func gaussian() {
        let filter = GaussianFilter.matlab7x7Sigma5
        var total = 0.0
        for x in -3...3 { for y in -3...3 { total += exp(-Double(x * x + y * y) / 50) } }
        for x in -3...3 {
            for y in -3...3 {
                let expected = exp(-Double(x * x + y * y) / 50) / total
                #expect(abs(filter.kernel[x + 3] * filter.kernel[y + 3] - expected) < 1e-17)
            }
        }
        // Zero padding: a constant 1 image loses weight at the border only.
        let out = filter.apply([Double](repeating: 1, count: 100), width: 10, height: 10)
        #expect(abs(out[55] - 1) < 1e-15)
        #expect(out[0] < 0.6)
    }

    @Test("filtering only under a mask gives the same doubles there; an empty mask gives zeros")
    func maskedFilter() {
        var rng = SplitMix64(seed: 5)
        let width = 19, height = 11
        let values = (0..<width * height).map { _ in Double(rng.next() % 1000) / 999 }
        let mask = (0..<width * height).map { i -> UInt8 in (i / width >= 2 && i / width < 6 && i % width > 12) || i == 0 ? 1 : 0 }
        let filter = GaussianFilter.matlab7x7Sigma5
        let full = filter.apply(values, width: width, height: height)
        let masked = filter.apply(values, width: width, height: height, at: mask)
        for i in values.indices { #expect(masked[i] == (mask[i] != 0 ? full[i] : 0)) }
        let none = filter.apply(values, width: width, height: height, at: [UInt8](repeating: 0, count: values.count))
        #expect(none.allSatisfy { $0 == 0 })
    }

    @Test("background importance: the table holds the formula's doubles")
    func importanceTable() {
        for squared in [0.0, 1, 2, 5, 8, 1000, 65535] {
            #expect(BackgroundImportance.weight(squaredDistance: squared) == 2 - exp(log(0.5) / 5 * squared.squareRoot()))
        }
        #expect(BackgroundImportance.weight(squaredDistance: 70000) == 2 - exp(log(0.5) / 5 * (70000.0).squareRoot()))
    }

    @Test("a perfect map scores 1; an empty GT is undefined")
    func extremes() {
        let mask = GroundTruthMask(width: 6, height: 5, pixels: (0..<30).map { $0 % 7 == 0 ? 1 : 0 })
        let perfect = mask.pixels.map(Double.init)
        #expect(abs(WeightedFMeasure.score(prediction: perfect, groundTruth: mask)! - 1) < 1e-12)
        let empty = GroundTruthMask(width: 3, height: 3, pixels: [UInt8](repeating: 0, count: 9))
        #expect(WeightedFMeasure.score(prediction: [Double](repeating: 0.5, count: 9), groundTruth: empty) == nil)
    }

    @Test("equals a direct per-pixel implementation of Margolin et al. (no distance ties in play)")
    func direct() {
        var rng = SplitMix64(seed: 11)
        let width = 14, height = 12
        let gt = (0..<width * height).map { i -> UInt8 in
            let r = i / width, c = i % width
            return (r >= 3 && r < 8 && c >= 4 && c < 10) ? 1 : 0
        }
        // Constant error on the foreground, so the nearest foreground pixel's identity does not matter.
        let prediction = (0..<width * height).map { gt[$0] == 1 ? 0.8 : Double(rng.next() % 1000) / 1000 }
        let mask = GroundTruthMask(width: width, height: height, pixels: gt)
        let score = WeightedFMeasure.score(prediction: prediction, groundTruth: mask)!

        // Direct: E, nearest-foreground dependency, 2-D 7x7 filter with zero padding, importance.
        let e = prediction.indices.map { abs(prediction[$0] - Double(gt[$0])) }
        var et = e
        var dist = [Double](repeating: 0, count: e.count)
        for i in e.indices where gt[i] == 0 {
            var best = Double.infinity, bestIndex = -1
            for j in e.indices where gt[j] == 1 {
                let d = Double((i / width - j / width) * (i / width - j / width) + (i % width - j % width) * (i % width - j % width))
                if d < best { best = d; bestIndex = j }
            }
            et[i] = e[bestIndex]
            dist[i] = best.squareRoot()
        }
        var kernelTotal = 0.0
        for x in -3...3 { for y in -3...3 { kernelTotal += exp(-Double(x * x + y * y) / 50) } }
        var tpw = 0.0, fpw = 0.0, fgError = 0.0
        for r in 0..<height {
            for c in 0..<width {
                let i = r * width + c
                if gt[i] == 1 {
                    var ea = 0.0
                    for dy in -3...3 {
                        for dx in -3...3 where r + dy >= 0 && r + dy < height && c + dx >= 0 && c + dx < width {
                            ea += exp(-Double(dx * dx + dy * dy) / 50) / kernelTotal * et[(r + dy) * width + c + dx]
                        }
                    }
                    fgError += min(e[i], ea)
                } else {
                    fpw += e[i] * (2 - exp(log(0.5) / 5 * dist[i]))
                }
            }
        }
        let g = Double(mask.foregroundCount)
        tpw = g - fgError
        let recall = 1 - fgError / g
        let precision = tpw / (tpw + fpw + 0x1p-52)
        let expected = 2 * recall * precision / (recall + precision + 0x1p-52)
        #expect(abs(score - expected) < 1e-12, "\(score) vs \(expected)")
    }

    /// fixtures/wfm/cases.json (tools/make_wfm_fixture.py): PySODMetrics on pairs with many
    /// distance ties.
    struct GoldenFile: Decodable {
        struct Case: Decodable {
            var name: String
            var width: Int
            var height: Int
            var gt: [UInt8]
            var pred: [UInt8]
            var pysod_wfm: Double
            var pysod_wfm_rotated_180: Double
        }
        var cases: [Case]
    }

    @Test("equals PySODMetrics on pairs full of distance ties (scipy's tie-breaking), to 1e-12")
    func matchesPySODMetricsWithTies() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: SharedData.packageRoot + "/fixtures/wfm/cases.json"))
        let golden = try JSONDecoder().decode(GoldenFile.self, from: data)
        #expect(golden.cases.count == 6)
        var tieSensitive = 0
        for item in golden.cases {
            let mask = GroundTruthMask(width: item.width, height: item.height, pixels: item.gt.map { $0 > 128 ? 1 : 0 })
            let scores = ImageEvaluator(protocol: .infnet, computesWeightedFMeasure: true)
                .evaluate(name: item.name, groundTruth: mask, prediction: .uint8(width: item.width, height: item.height, pixels: item.pred))
            let ours = try #require(scores.weightedFMeasure)
            // Summation order (and PySODMetrics' division where MATLAB multiplies) leave ~1e-16.
            #expect(abs(ours - item.pysod_wfm) < 1e-12, "\(item.name): segeval \(ours), PySODMetrics \(item.pysod_wfm)")
            // Where the rotated pair scores differently, only the tie-breaking differs, by far more.
            if abs(item.pysod_wfm - item.pysod_wfm_rotated_180) > 1e-4 { tieSensitive += 1 }
        }
        #expect(tieSensitive >= 3)
    }
}

extension GaussianFilter {
    /// Reference for the masked filter: the whole image, along rows, then columns; outside the
    /// image is 0 (`imfilter` with zero padding).
    func apply(_ values: [Double], width: Int, height: Int) -> [Double] {
        let radius = kernel.count / 2
        var horizontal = [Double](repeating: 0, count: values.count)
        for row in 0..<height {
            let base = row * width
            for column in 0..<width {
                var sum = 0.0
                let low = max(-radius, -column), high = min(radius, width - 1 - column)
                for offset in low...high where high >= low {
                    sum += kernel[offset + radius] * values[base + column + offset]
                }
                horizontal[base + column] = sum
            }
        }
        var result = [Double](repeating: 0, count: values.count)
        for row in 0..<height {
            let low = max(-radius, -row), high = min(radius, height - 1 - row)
            for offset in low...high where high >= low {
                let weight = kernel[offset + radius]
                let source = (row + offset) * width
                let target = row * width
                for column in 0..<width { result[target + column] += weight * horizontal[source + column] }
            }
        }
        return result
    }

}
