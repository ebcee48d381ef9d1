/// The 256 descending thresholds of the curves; index 0 is threshold 1, index 255 is threshold 0.
public enum ThresholdLadder {
    public static let count = 256

    /// MATLAB's `1:-1/255:0`. The colon operator builds the vector symmetrically from both ends:
    /// with `d = -1/255` (one rounded double), element k is `1 + k*d` for k <= 127 and
    /// `0 - (255 - k)*d` for k >= 128. An 8-bit map puts pixels exactly on thresholds, so these
    /// exact doubles matter (using `(255-k)/255` moves single curve points by up to 0.037).
    public static let matlabColon: [Double] = {
        let step = -1.0 / 255.0
        return (0..<count).map { k in
            k <= 127 ? 1.0 + Double(k) * step : 0.0 - Double(255 - k) * step
        }
    }()

    /// Exactly rounded `(255 - k) / 255`.
    public static let exact: [Double] = (0..<count).map { Double(255 - $0) / 255.0 }

    public static func values(for convention: EvaluationProtocol.ThresholdValues) -> [Double] {
        switch convention {
        case .matlabColon: return matlabColon
        case .exact: return exact
        }
    }
}
