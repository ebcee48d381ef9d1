/// The metrics of one (volume, label) pair, named as their JSON keys, and the value each takes.
public enum VolumeMetric: String, CaseIterable, Sendable, Codable {
    case dice = "Dice", iou = "IoU", sensitivity = "Sensitivity", specificity = "Specificity", precision = "Precision"
    case hd = "HD", hd95 = "HD95"
    /// Both directed distance sets pooled, then their mean.
    case assd = "ASSD"
    /// The mean of the two directed mean distances.
    case masd = "MASD"
    /// Normalised surface distance (surface Dice) at the tolerance.
    case nsd = "NSD"
    /// Voxels of the label times the voxel volume, in mL.
    case volumeGT, volumePred

    /// True for the metrics whose definition `--distances` selects.
    public var isDistance: Bool {
        switch self {
        case .hd, .hd95, .assd, .masd, .nsd: true
        default: false
        }
    }

    /// mm for distances, mL for volumes, nil for ratios.
    public var unit: String? {
        switch self {
        case .hd, .hd95, .assd, .masd: "mm"
        case .volumeGT, .volumePred: "mL"
        default: nil
        }
    }
}

/// A metric's value under a convention.
public enum VolumeValue: Sendable, Equatable {
    /// What the library computes; may be infinite or NaN (written as null, with a warning).
    case number(Double)
    /// The library raises an exception here (e.g. MedPy on an empty mask): null, with the reason.
    case raises(String)
    /// The library has no such metric (MedPy and seg-metrics have no NSD): null.
    case notDefined

    /// The value when it is a finite number.
    public var finite: Double? {
        if case .number(let value) = self, value.isFinite { return value }
        return nil
    }
}

/// Every metric of one (volume, label) pair.
public struct VolumeScores: Sendable, Equatable {
    public var values: [VolumeMetric: VolumeValue]

    public init(_ values: [VolumeMetric: VolumeValue] = [:]) { self.values = values }

    public subscript(metric: VolumeMetric) -> VolumeValue {
        get { values[metric] ?? .notDefined }
        set { values[metric] = newValue }
    }
}

/// Small arithmetic shared by the conventions.
enum Ratio {
    /// `numerator / denominator` in doubles: NaN for 0/0, as numpy answers it.
    static func of(_ numerator: Int, _ denominator: Int) -> Double { Double(numerator) / Double(denominator) }

    /// The same division in float32 (numpy float32 scalars, torch float32 tensors), widened.
    static func float32(_ numerator: Int, _ denominator: Int) -> Double { Double(Float(numerator) / Float(denominator)) }
}
