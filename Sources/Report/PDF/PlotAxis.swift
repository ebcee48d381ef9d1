import Foundation

/// A linear axis: a data range, its "nice" ticks, and the mapping onto a span of page points.
public struct PlotAxis: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var ticks: [Double]

    /// An axis from `lower` to `upper` with ticks every `step`.
    public init(lower: Double, upper: Double, step: Double) {
        self.lower = lower
        self.upper = upper
        var ticks: [Double] = []
        var k = (lower / step).rounded(.up)
        while k * step <= upper + step * 1e-9 {
            ticks.append(k * step)
            k += 1
        }
        self.ticks = ticks
    }

    /// An axis from 0 (or the data's minimum, if negative) up to at least 1, widened to a nice
    /// step when the data exceed 1 (the toolbox's E-measure can). NaN values are ignored.
    public static func unitOrMore(_ values: [Double]) -> PlotAxis {
        let finite = values.filter(\.isFinite)
        let top = max(1, finite.max() ?? 1)
        let bottom = min(0, finite.min() ?? 0)
        if top <= 1 && bottom >= 0 { return PlotAxis(lower: 0, upper: 1, step: 0.2) }
        let step = niceStep((top - bottom) / 5)
        return PlotAxis(lower: (bottom / step).rounded(.down) * step, upper: (top / step).rounded(.up) * step, step: step)
    }

    /// The smallest of 1, 2, 2.5, 5 x 10^k that is at least `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= raw * (1 - 1e-12) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// The position of `value` on a span from `start` (at `lower`) to `end` (at `upper`).
    public func map(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// A tick's label: as few decimals as the step needs.
    public func label(_ value: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = step >= 1 ? 0 : min(3, Int((-log10(step)).rounded(.up)) + (step * 10 == (step * 10).rounded() ? 0 : 1))
        return String(format: "%.\(decimals)f", value)
    }
}
