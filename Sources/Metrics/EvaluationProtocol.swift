/// The conventions that decide every number segeval prints.
///
/// Three presets exist (see `docs/protocols.md` for the table):
/// - `infnet`: the arithmetic of every published Inf-Net table (May 2020 toolbox), quirks included.
/// - `infnetLatest`: the same, with the E-measure binarised with `>=` (upstream `main.m` since 2020-11-21).
/// - `standard`: textbook definitions; undefined values are counted and reported, never averaged in.
public struct EvaluationProtocol: Sendable, Hashable {
    /// How a map is binarised for the E-measure at threshold t.
    public enum Binarization: String, Sendable, Hashable {
        /// `pred > t` (the published tables).
        case strictlyGreater
        /// `pred >= t`.
        case greaterOrEqual
    }

    /// Which 256 threshold values are used.
    public enum ThresholdValues: String, Sendable, Hashable {
        /// MATLAB's `1:-1/255:0`, built by the colon operator (see `ThresholdLadder`).
        case matlabColon
        /// Exactly `(255 - k) / 255`.
        case exact
    }

    /// What a per-threshold score is when it is undefined or when TP is 0.
    public enum CountConvention: String, Sendable, Hashable {
        /// Toolbox quirk (`Fmeasure_calu`): when TP == 0, precision, recall, specificity, Dice, F and IoU are 0.
        case toolboxZeroWhenNoTruePositive
        /// Textbook: each ratio is computed whenever its denominator is non-zero; otherwise it is
        /// undefined (NaN), counted, and left out of the means.
        case textbook
    }

    /// The E-measure's denominator.
    public enum EMeasureDenominator: String, Sendable, Hashable {
        /// Toolbox quirk: `w*h - 1 + eps` (scores can exceed 1).
        case pixelsMinusOne
        /// `w*h`.
        case pixels
    }

    /// What the S-measure does with an empty region block (GT centroid on the last row or column).
    public enum EmptyBlockRule: String, Sendable, Hashable {
        /// As MATLAB: the score becomes NaN (segeval reports it explicitly).
        case undefined
        /// The block's weight is 0 anyway: leave it out.
        case weightZero
    }

    public var name: String
    public var eMeasureBinarization: Binarization
    public var thresholdValues: ThresholdValues
    public var countConvention: CountConvention
    public var eMeasureDenominator: EMeasureDenominator
    public var emptyBlockRule: EmptyBlockRule

    public init(name: String, eMeasureBinarization: Binarization, thresholdValues: ThresholdValues,
                countConvention: CountConvention, eMeasureDenominator: EMeasureDenominator,
                emptyBlockRule: EmptyBlockRule) {
        self.name = name
        self.eMeasureBinarization = eMeasureBinarization
        self.thresholdValues = thresholdValues
        self.countConvention = countConvention
        self.eMeasureDenominator = eMeasureDenominator
        self.emptyBlockRule = emptyBlockRule
    }

    /// The published tables (default).
    public static let infnet = EvaluationProtocol(
        name: "infnet", eMeasureBinarization: .strictlyGreater, thresholdValues: .matlabColon,
        countConvention: .toolboxZeroWhenNoTruePositive, eMeasureDenominator: .pixelsMinusOne,
        emptyBlockRule: .undefined)

    /// Upstream `main.m` since 2020-11-21: E-measure binarised with `>=`.
    public static let infnetLatest = EvaluationProtocol(
        name: "infnet-latest", eMeasureBinarization: .greaterOrEqual, thresholdValues: .matlabColon,
        countConvention: .toolboxZeroWhenNoTruePositive, eMeasureDenominator: .pixelsMinusOne,
        emptyBlockRule: .undefined)

    /// Textbook definitions.
    public static let standard = EvaluationProtocol(
        name: "standard", eMeasureBinarization: .greaterOrEqual, thresholdValues: .exact,
        countConvention: .textbook, eMeasureDenominator: .pixels, emptyBlockRule: .weightZero)

    public static let presets: [EvaluationProtocol] = [.infnet, .infnetLatest, .standard]

    public static func named(_ name: String) -> EvaluationProtocol? {
        presets.first { $0.name == name }
    }
}
