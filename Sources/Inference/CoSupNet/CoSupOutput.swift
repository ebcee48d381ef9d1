/// The result of one CoSupNet forward pass, row-major H x W.
public struct CoSupOutput: Sendable {
    public var height: Int
    public var width: Int
    /// The main output: sigmoid probability of infection per pixel.
    public var probability: [Float]
    /// The five side outputs aux_0 ... aux_4 (double sigmoid, values in (0.5, 0.7311)), when requested.
    public var sideOutputs: [[Float]]
}
