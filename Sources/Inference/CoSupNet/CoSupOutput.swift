/// The result of one CoSupNet forward pass, row-major H x W.
public struct CoSupOutput: Sendable {
    public var height: Int
    public var width: Int
    /// The main output: the probability of infection per pixel (the binary network's sigmoid;
    /// 1 - p(background) for the per-class network).
    public var probability: [Float]
    /// The per-class network's class probabilities (softmax): ground-glass opacities, then
    /// consolidation. Empty for the binary network.
    public var classProbabilities: [[Float]] = []
    /// The five side outputs aux_0 ... aux_4 (double sigmoid, values in (0.5, 0.7311)), when requested.
    public var sideOutputs: [[Float]]
}
