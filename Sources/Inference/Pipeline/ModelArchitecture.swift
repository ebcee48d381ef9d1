/// The networks `segeval predict` can run. Adding one means a case here, a weights validator and
/// a `SegmentationNetwork` implementation; the pipeline does not change.
public enum ModelArchitecture: String, CaseIterable, Sendable {
    /// The co-supervised network of Hu et al. 2022 (the authors' `RPLFUnet`).
    case cosupnet

    public var summary: String {
        switch self {
        case .cosupnet: return "co-supervised U-Net with attention fusion (Hu et al., Pattern Recognition 2022)"
        }
    }
}

/// A built network for one input size: preprocessed input in, maps at the network size out.
public protocol SegmentationNetwork: AnyObject {
    var inputHeight: Int { get }
    var inputWidth: Int { get }
    /// Runs one forward pass on a preprocessed row-major input.
    func infer(_ input: [Float]) throws(InferenceError) -> CoSupOutput
    /// The instruction set, threads, layout and kernels it runs with, in one line.
    var backendSummary: String { get }
}

extension CoSupNet: SegmentationNetwork {
    public var inputHeight: Int { height }
    public var inputWidth: Int { width }
    public func infer(_ input: [Float]) throws(InferenceError) -> CoSupOutput { try forward(input) }
}
