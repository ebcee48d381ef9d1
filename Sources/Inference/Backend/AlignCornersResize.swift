import Dispatch

/// Bilinear resize with PyTorch's `align_corners=True` (`F.interpolate(..., mode='bilinear',
/// align_corners=True)` and `nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)`),
/// which oneDNN's resampling does not offer: the corner pixels of input and output coincide.
///
/// Per axis, input length n, output length m (float32, as PyTorch's CPU kernel computes it):
/// r = (n - 1) / (m - 1) (0 when m = 1), src(o) = r * o, i0 = floor(src), i1 = i0 + 1 when
/// i0 < n - 1 else i0, l1 = src - i0, l0 = 1 - l1; then
/// out = l0y * (l0x * a + l1x * b) + l1y * (l0x * c + l1x * d) for a = (i0y, i0x), b = (i0y, i1x),
/// c = (i1y, i0x), d = (i1y, i1x). Source and destination have the same channels and layout.
final class AlignCornersResize {
    let source: Activation
    let destination: Activation
    private let rows: LinearTaps
    private let columns: LinearTaps

    init(source: Activation, destination: Activation) throws(InferenceError) {
        guard source.channels == destination.channels, source.block == destination.block else {
            throw InferenceError("internal error: an align-corners resize between different layouts")
        }
        self.source = source
        self.destination = destination
        rows = Self.taps(input: source.height, output: destination.height)
        columns = Self.taps(input: source.width, output: destination.width)
    }

    /// The taps of one axis (the contract above).
    static func taps(input n: Int, output m: Int) -> LinearTaps {
        let ratio: Float = m > 1 ? Float(n - 1) / Float(m - 1) : 0
        var taps = LinearTaps()
        for o in 0..<m {
            let src = ratio * Float(o)
            let i0 = min(Int(src), n - 1)
            let l1 = src - Float(i0)
            taps.first.append(i0)
            taps.second.append(i0 < n - 1 ? i0 + 1 : i0)
            taps.weightSecond.append(l1)
            taps.weightFirst.append(1 - l1)
        }
        return taps
    }

    /// Resizes `source` into `destination`, the inner loop over each pixel's contiguous channels
    /// (`Activation.lanes`): whole 16- or 8-float vectors for blocked layouts, else one at a time.
    /// The same arithmetic either way (vector lanes are computed as the scalars are, no fused
    /// multiply-add).
    func run() {
        let lanes = source.lanes
        let groups = source.channels / lanes
        let inW = source.width, inPlane = source.height * source.width
        let outW = destination.width, outH = destination.height, outPlane = outH * outW
        // Each thread writes its own output rows; the input is only read.
        nonisolated(unsafe) let input = source.pointer
        nonisolated(unsafe) let output = destination.pointer
        let rows = self.rows, columns = self.columns
        // Work items: (group, output row); chunked so each thread gets a few large pieces.
        let items = groups * outH
        let chunks = Swift.min(items, Swift.max(1, DNNLContext.threadCount) * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for item in (items * chunk / chunks)..<(items * (chunk + 1) / chunks) {
                let group = item / outH, oy = item % outH
                let inBase = input + group * inPlane * lanes, outRow = output + (group * outPlane + oy * outW) * lanes
                let rowA = inBase + rows.first[oy] * inW * lanes, rowC = inBase + rows.second[oy] * inW * lanes
                let l0y = rows.weightFirst[oy], l1y = rows.weightSecond[oy]
                switch lanes {
                case 16: Self.row(SIMD16<Float>.self, rowA, rowC, outRow, outW, columns, l0y, l1y)
                case 8: Self.row(SIMD8<Float>.self, rowA, rowC, outRow, outW, columns, l0y, l1y)
                default:
                    for ox in 0..<outW {
                        let x0 = columns.first[ox] * lanes, x1 = columns.second[ox] * lanes
                        let l0x = columns.weightFirst[ox], l1x = columns.weightSecond[ox]
                        let out = outRow + ox * lanes
                        for lane in 0..<lanes {
                            let top = l0x * rowA[x0 + lane] + l1x * rowA[x1 + lane]
                            let bottom = l0x * rowC[x0 + lane] + l1x * rowC[x1 + lane]
                            out[lane] = l0y * top + l1y * bottom
                        }
                    }
                }
            }
        }
    }

    /// One output row of pixels of `V.scalarCount` channels, from input rows `rowA` (weight
    /// `l0y`) and `rowC` (`l1y`).
    @inline(__always)
    private static func row<V: SIMD>(_: V.Type, _ rowA: UnsafeMutablePointer<Float>, _ rowC: UnsafeMutablePointer<Float>,
                                     _ outRow: UnsafeMutablePointer<Float>, _ outW: Int, _ columns: LinearTaps,
                                     _ l0y: Float, _ l1y: Float) where V.Scalar == Float {
        let lanes = V.scalarCount
        func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        columns.first.withUnsafeBufferPointer { first in
            columns.second.withUnsafeBufferPointer { second in
                columns.weightFirst.withUnsafeBufferPointer { weightFirst in
                    columns.weightSecond.withUnsafeBufferPointer { weightSecond in
                        for ox in 0..<outW {
                            let x0 = first[ox] * lanes, x1 = second[ox] * lanes
                            let l0x = weightFirst[ox], l1x = weightSecond[ox]
                            let top = l0x * load(rowA + x0) + l1x * load(rowA + x1)
                            let bottom = l0x * load(rowC + x0) + l1x * load(rowC + x1)
                            UnsafeMutableRawPointer(outRow + ox * lanes).storeBytes(of: l0y * top + l1y * bottom, as: V.self)
                        }
                    }
                }
            }
        }
    }
}

extension NetworkBuilder {
    /// `destination` = `source` resized with align_corners=True (`AlignCornersResize`).
    mutating func resizeAligningCorners(_ source: Activation, into destination: Activation) throws(InferenceError) {
        let resize = try AlignCornersResize(source: source, destination: destination)
        append(.host { resize.run() })
    }
}
