/// The networks `segeval predict` can run. Adding one means a case here, a weights validator, a
/// network and a `SlicePipeline`; `Predictor` does not change.
public enum ModelArchitecture: String, CaseIterable, Sendable {
    /// The co-supervised network of Hu et al. 2022 (the authors' `RPLFUnet`).
    case cosupnet
    /// Inf-Net (Fan et al., IEEE TMI 2020), Res2Net-50 backbone.
    case infnet
    /// Semi-Inf-Net: the same network trained semi-supervised (a name for honest labels).
    case semiInfnet = "semi-infnet"
    /// Semi-Inf-Net + multi-class U-Net: ground-glass opacities and consolidation.
    case infnetMulticlass = "infnet-multiclass"

    public var summary: String {
        switch self {
        case .cosupnet: return "co-supervised U-Net with attention fusion (Hu et al., Pattern Recognition 2022)"
        case .infnet: return "Inf-Net (Fan et al., IEEE TMI 2020)"
        case .semiInfnet: return "Semi-Inf-Net (Fan et al., IEEE TMI 2020; Inf-Net's architecture)"
        case .infnetMulticlass: return "Semi-Inf-Net + multi-class U-Net (Fan et al., IEEE TMI 2020)"
        }
    }

    /// The name the paper's tables use.
    public var displayName: String {
        switch self {
        case .cosupnet: return "CoSupNet"
        case .infnet: return "Inf-Net"
        case .semiInfnet: return "Semi-Inf-Net"
        case .infnetMulticlass: return "Semi-Inf-Net + multi-class U-Net"
        }
    }

    /// Whether segeval ships weights for it (only CoSupNet's: the Inf-Net family's are the authors').
    public var hasShippedWeights: Bool { self == .cosupnet }

    /// Where the authors publish the weights of a model segeval does not ship.
    public static let infNetWeightsSource = """
        the authors publish Inf-Net-100.pth, Semi-Inf-Net-100.pth and unet_model_200.pkl through the links \
        in the Inf-Net README (https://github.com/DengPingFan/Inf-Net, "Pre-trained models"); download the \
        one you need and give it with --weights (segeval downloads nothing)
        """
}
