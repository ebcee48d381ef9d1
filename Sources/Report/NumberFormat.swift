import Foundation

/// Number formatting shared by every output.
public enum NumberFormat {
    /// `%.Nf` exactly as C's printf (and MATLAB's sprintf) rounds the binary double.
    public static func fixed(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return value.map { $0.isNaN ? "NaN" : ($0 > 0 ? "Inf" : "-Inf") } ?? "-" }
        // A value of a million or more (the toolbox's E-measure of a one-pixel image is ~1e15)
        // in scientific notation, so that it cannot blow a column up to twenty digits.
        if abs(value) >= 1e6 { return String(format: "%.\(max(decimals - 1, 1))e", value) }
        return String(format: "%.\(decimals)f", value)
    }

    /// The shortest decimal that reads back as the same double (for CSV and JSON).
    public static func exact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Inf" : "-Inf") }
        return "\(value)"
    }
}
