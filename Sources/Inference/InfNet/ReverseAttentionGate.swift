/// Inf-Net's reverse-attention gate (spec 3.5): out = (1 - sigmoid(c)) * x, the 1-channel map c
/// broadcast over every channel of x, in float32 as PyTorch computes `(-1 * sigmoid(c) + 1) * x`
/// (sigmoid bit for bit: `InfNetPostprocessing.sigmoid`; -1 * s is exact, so 1 - s rounds once).
struct ReverseAttentionGate {
    let guide: Activation
    let features: Activation
    let destination: Activation

    func run() {
        let lanes = features.lanes
        let groups = features.channels / lanes
        let plane = features.height * features.width
        let x = features.pointer, out = destination.pointer, c = guide.pointer
        var gate = [Float](repeating: 0, count: plane)
        for p in 0..<plane { gate[p] = 1 - InfNetPostprocessing.sigmoid(c[p]) }
        gate.withUnsafeBufferPointer { g in
            for group in 0..<groups {
                let base = group * plane * lanes
                for p in 0..<plane {
                    let value = g[p], start = base + p * lanes
                    for lane in 0..<lanes { out[start + lane] = value * x[start + lane] }
                }
            }
        }
    }
}
