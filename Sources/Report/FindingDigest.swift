import Evaluation
import Metrics

/// What a model's per-image findings come to, kept as the images stream past: a fixed size
/// (counts and the first few names) whatever the number of images. The terminal's warnings and
/// notes are worded from it (`groundTruthWarnings`, `singlePixelWarning`, `lines`).
///
/// Digests of consecutive parts of a run merge (`append`) into the digest of the whole, in part
/// order: shards merged in shard order say what one run says.
public struct FindingDigest: Sendable, Hashable, Codable {
    /// A count and the first names (enough for `EvaluationError.list`'s five or ten).
    public struct Names: Sendable, Hashable, Codable {
        public var count = 0
        public var first: [String] = []
        static let kept = 10

        mutating func add(_ name: String) {
            count += 1
            if first.count < Self.kept { first.append(name) }
        }

        mutating func append(_ other: Names) {
            count += other.count
            first = Array((first + other.first).prefix(Self.kept))
        }

        /// "a, b, c (and N more; M in all)", as `EvaluationError.list` writes it.
        func listed(limit: Int) -> String {
            let shown = first.prefix(limit).joined(separator: ", ")
            return count > limit ? "\(shown) (and \(count - limit) more; \(count) in all)" : shown
        }
    }

    /// One kind of finding (e.g. `predictionResized`), in the order kinds were first met.
    public struct Kind: Sendable, Hashable, Codable {
        public var kind: String
        public var images = Names()
        public var firstSentence: String
        /// Whether every image's sentence of this kind is `firstSentence`.
        public var oneSentence = true
        /// The first three (image, sentence).
        public var examples: [[String]] = []
    }

    public var imageCount = 0
    /// Images whose GT has no foreground pixel.
    public var emptyGroundTruths = 0
    /// GTs read as empty although their files hold small values; the largest such value.
    public var unreadGroundTruths = 0
    public var unreadMaximum = 0
    public var singlePixel = Names()
    public var kinds: [Kind] = []

    public init() {}

    public mutating func add(_ image: ImageScores) {
        imageCount += 1
        if image.groundTruthForeground == 0 { emptyGroundTruths += 1 }
        if let maximum = image.findings.lazy.compactMap({ finding -> Int? in
            if case .groundTruthBelowThreshold(let maximum) = finding { maximum } else { nil }
        }).first {
            unreadGroundTruths += 1
            unreadMaximum = max(unreadMaximum, maximum)
        }
        if image.findings.contains(.eMeasureSinglePixel) { singlePixel.add(image.name) }
        for finding in image.findings {
            let kind = Mirror(reflecting: finding).children.first?.label ?? "\(finding)"
            let sentence = finding.sentence
            var entry = Kind(kind: kind, firstSentence: sentence)
            entry.images.add(image.name)
            entry.examples = [[image.name, sentence]]
            merge(entry)
        }
    }

    /// The digest of this part followed by `other`.
    public mutating func append(_ other: FindingDigest) {
        imageCount += other.imageCount
        emptyGroundTruths += other.emptyGroundTruths
        unreadGroundTruths += other.unreadGroundTruths
        unreadMaximum = max(unreadMaximum, other.unreadMaximum)
        singlePixel.append(other.singlePixel)
        for kind in other.kinds { merge(kind) }
    }

    private mutating func merge(_ entry: Kind) {
        guard let index = kinds.firstIndex(where: { $0.kind == entry.kind }) else {
            kinds.append(entry)
            return
        }
        kinds[index].images.append(entry.images)
        kinds[index].oneSentence = kinds[index].oneSentence && entry.oneSentence && entry.firstSentence == kinds[index].firstSentence
        kinds[index].examples = Array((kinds[index].examples + entry.examples).prefix(3))
    }

    /// What is almost certainly wrong with the ground truths: all empty, or some read as empty
    /// although their files hold small values (0/1 masks, label maps).
    public var groundTruthWarnings: [String] {
        var warnings: [String] = []
        if imageCount > 0, emptyGroundTruths == imageCount {
            warnings.append("every ground truth mask is empty (no pixel above 128), so Dice, sensitivity and precision are 0 or undefined")
        }
        if unreadGroundTruths > 0 {
            var fix = "the published protocol reads a GT pixel as foreground only above 128: save binary masks as 0/255"
            if unreadMaximum > 1 {
                fix += "; a label map (values 0..\(unreadMaximum)) is read per class with the class layout: --gt the folder holding GT/ (or GT-k/), or --class NAME=K"
            }
            warnings.append("\(unreadGroundTruths) of \(imageCount) ground truth(s) read as empty although their files hold values up to \(unreadMaximum) (0/1 masks or label maps?); \(fix)")
        }
        return warnings
    }

    /// One-pixel images under the toolbox E-measure (said even with -q).
    public var singlePixelWarning: String? {
        guard singlePixel.count > 0 else { return nil }
        return "\(singlePixel.count) one-pixel image(s) (\(singlePixel.listed(limit: 5))): \(Finding.eMeasureSinglePixel.sentence)"
    }

    /// One line per kind of per-image finding: the count and the images, with each image's own
    /// numbers when they differ (never a placeholder for them).
    public var lines: [String] {
        kinds.map { kind in
            if kind.oneSentence {
                return "\(kind.images.count) image(s): \(kind.firstSentence): \(kind.images.listed(limit: 5))"
            }
            let shown = kind.examples.map { "\($0[0]): \($0[1])" }.joined(separator: "; ")
            return "\(kind.images.count) image(s): " + shown + (kind.images.count > 3 ? "; and \(kind.images.count - 3) more of this kind" : "")
        }
    }
}
