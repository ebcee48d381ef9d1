import Foundation
@testable import Metrics

/// A direct, per-pixel transliteration of the toolbox's MATLAB functions (Fmeasure_calu,
/// Enhancedmeasure, StructureMeasure, MAE), written independently of segeval's counting approach.
/// Tests compare the two on small random images.
enum NaiveToolbox {
    static let eps = 0x1p-52

    /// `mapminmax(im2double(pred), 0, 1)` per pixel.
    static func normalise(_ levels: [Int], scale: Double) -> [Double] {
        let x = levels.map { Double($0) / scale }
        let lo = x.min()!, hi = x.max()!
        guard hi != lo else { return x }
        let gain = 1 / (hi - lo)
        return x.map { ($0 - lo) * gain }
    }

    static func fmeasureCalu(_ s: [Double], _ g: [Bool], _ threshold: Double) -> (pre: Double, rec: Double, spe: Double, dice: Double) {
        let t = threshold > 1 ? 1 : threshold
        var tp = 0, rec = 0, obj = 0
        for i in s.indices {
            let p = s[i] >= t
            if p { rec += 1 }
            if g[i] { obj += 1 }
            if p && g[i] { tp += 1 }
        }
        let noRec = s.count - rec
        let fn = obj - tp, fp = rec - tp, tn = noRec - fn
        if tp == 0 { return (0, 0, 0, 0) }
        return (Double(tp) / Double(rec), Double(tp) / Double(obj), Double(tn) / Double(tn + fp), 2 * Double(tp) / Double(obj + rec))
    }

    /// Textbook ratios on `pred >= t` (the `standard` preset): each defined whenever its
    /// denominator is non-zero, NaN otherwise.
    static func textbook(_ s: [Double], _ g: [Bool], _ t: Double) -> (pre: Double, rec: Double, spe: Double, dice: Double) {
        var tp = 0, fp = 0, fn = 0, tn = 0
        for i in s.indices {
            switch (s[i] >= t, g[i]) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }
        return (ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tn, tn + fp), ratio(2 * tp, 2 * tp + fp + fn))
    }

    static func emeasure(_ s: [Double], _ g: [Bool], _ threshold: Double, strict: Bool) -> Double {
        let fm = s.map { strict ? ($0 > threshold ? 1.0 : 0.0) : ($0 >= threshold ? 1.0 : 0.0) }
        let gt = g.map { $0 ? 1.0 : 0.0 }
        let n = Double(s.count)
        var enhanced = [Double](repeating: 0, count: s.count)
        if gt.reduce(0, +) == 0 {
            enhanced = fm.map { 1 - $0 }
        } else if gt.reduce(0, +) == n {
            enhanced = fm
        } else {
            let muFM = fm.reduce(0, +) / n, muGT = gt.reduce(0, +) / n
            for i in s.indices {
                let a = fm[i] - muFM, b = gt[i] - muGT
                let align = 2 * (b * a) / (b * b + a * a + eps)
                enhanced[i] = ((align + 1) * (align + 1)) / 4
            }
        }
        return enhanced.reduce(0, +) / (n - 1 + eps)
    }

    /// The `standard` preset's E-measure: binarised with `>=`, divided by the pixel count.
    static func emeasureStandard(_ s: [Double], _ g: [Bool], _ threshold: Double) -> Double {
        emeasure(s, g, threshold, strict: false) * (Double(s.count) - 1 + eps) / Double(s.count)
    }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    static func std(_ v: [Double]) -> Double {
        guard v.count > 1 else { return 0 }
        let m = mean(v)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
    }

    static func object(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let x = mean(v)
        return 2 * x / (x * x + 1 + std(v) + eps)
    }

    static func ssim(_ p: [Double], _ g: [Double]) -> Double {
        let n = Double(p.count)
        let x = mean(p), y = mean(g)
        var sx = 0.0, sy = 0.0, sxy = 0.0
        for i in p.indices {
            sx += (p[i] - x) * (p[i] - x)
            sy += (g[i] - y) * (g[i] - y)
            sxy += (p[i] - x) * (g[i] - y)
        }
        sx /= (n - 1 + eps); sy /= (n - 1 + eps); sxy /= (n - 1 + eps)
        let alpha = 4 * x * y * sxy
        let beta = (x * x + y * y) * (sx + sy)
        if alpha != 0 { return alpha / (beta + eps) }
        return beta == 0 ? 1 : 0
    }

    static func smeasure(_ s: [Double], _ g: [Bool], width: Int, height: Int) -> Double {
        let gt = g.map { $0 ? 1.0 : 0.0 }
        let y = mean(gt)
        if y == 0 { return 1 - mean(s) }
        if y == 1 { return mean(s) }
        let fg = s.indices.filter { g[$0] }.map { s[$0] }
        let bg = s.indices.filter { !g[$0] }.map { 1 - s[$0] }
        let so = y * object(fg) + (1 - y) * object(bg)
        // Centroid, 1-based.
        var total = 0.0, cx = 0.0, cy = 0.0
        for r in 0..<height { for c in 0..<width where g[r * width + c] { total += 1; cx += Double(c + 1); cy += Double(r + 1) } }
        let X = Int((cx / total).rounded(.toNearestOrAwayFromZero)), Y = Int((cy / total).rounded(.toNearestOrAwayFromZero))
        func block(_ rows: Range<Int>, _ cols: Range<Int>) -> Double {
            var p: [Double] = [], q: [Double] = []
            for r in rows { for c in cols { p.append(s[r * width + c]); q.append(gt[r * width + c]) } }
            return p.isEmpty ? .nan : ssim(p, q)
        }
        let area = Double(width * height)
        let w1 = Double(X * Y) / area, w2 = Double((width - X) * Y) / area, w3 = Double(X * (height - Y)) / area
        let w4 = 1 - w1 - w2 - w3
        let sr = w1 * block(0..<Y, 0..<X) + w2 * block(0..<Y, X..<width) + w3 * block(Y..<height, 0..<X) + w4 * block(Y..<height, X..<width)
        let q = 0.5 * so + 0.5 * sr
        return q < 0 ? 0 : q
    }

    static func mae(_ s: [Double], _ g: [Bool]) -> Double {
        mean(s.indices.map { abs((g[$0] ? 1.0 : 0.0) - s[$0]) })
    }
}
