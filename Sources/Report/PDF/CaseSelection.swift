import Evaluation
import Files

/// Which slices the comparison grid shows (`--cases`).
public enum CaseSelection: Sendable, Equatable {
    /// Ranked by the mean per-image Dice over models (and classes): `count` best, median, worst.
    case ranked([RankGroup])
    /// Named slices, in the order given (matched by file name or by stem: `18` is `18.png`).
    case named([String])
    /// Every slice, in file-name order.
    case all

    public enum RankGroup: String, Sendable, Equatable {
        case best, median, worst
    }

    /// The default: 2 best, 2 median, 2 worst.
    public static let standard = CaseSelection.ranked([.best, .median, .worst])
    /// Slices per rank group.
    public static let groupSize = 2

    /// Parses `all`, a list of `best`/`median`/`worst`, or a list of names.
    public static func parse(_ text: String) throws(ReportError) -> CaseSelection {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ReportError("--cases: empty list; use best,median,worst, all, or slice names") }
        if items == ["all"] { return .all }
        let groups = items.compactMap { RankGroup(rawValue: $0.lowercased()) }
        if groups.count == items.count { return .ranked(groups) }
        if !groups.isEmpty {
            throw ReportError("--cases: mix of rank groups and names in '\(text)'; use either best,median,worst or slice names")
        }
        return .named(items)
    }

    /// A chosen slice and why it was chosen.
    public struct Pick: Sendable, Equatable {
        public var name: String
        /// "best", "median", "worst", or nil when named or `all`.
        public var group: String?
        /// The mean per-image Dice over models (NaN when none is defined).
        public var score: Double
    }

    /// Chooses slices.
    /// - Parameters:
    ///   - names: every slice name, in file-name order.
    ///   - scores: the ranking score per name (NaN: undefined, ranked last).
    /// - Throws: `ReportError` for a name that matches no slice.
    public func pick(names: [String], scores: [String: Double]) throws(ReportError) -> [Pick] {
        func score(_ name: String) -> Double { scores[name] ?? .nan }
        switch self {
        case .all:
            return names.map { Pick(name: $0, group: nil, score: score($0)) }
        case .named(let wanted):
            var picks: [Pick] = []
            for item in wanted {
                guard let name = names.first(where: { $0 == item }) ?? names.first(where: { FolderListing.stem($0) == item }) else {
                    throw ReportError("--cases: no slice named '\(item)'; slices: \(names.prefix(12).joined(separator: ", "))\(names.count > 12 ? ", ..." : "")")
                }
                picks.append(Pick(name: name, group: nil, score: score(name)))
            }
            return picks
        case .ranked(let groups):
            // Best first; undefined scores last; ties by name.
            let ranked = names.sorted { a, b in
                let (sa, sb) = (score(a), score(b))
                if sa.isNaN != sb.isNaN { return !sa.isNaN }
                if sa != sb && !sa.isNaN { return sa > sb }
                return FolderListing.byteOrder(a, b)
            }
            let n = min(Self.groupSize, ranked.count)
            var picks: [Pick] = []
            var taken = Set<String>()
            for group in groups {
                let slice: ArraySlice<String>
                switch group {
                case .best: slice = ranked.prefix(n)
                case .worst: slice = ranked.suffix(n)
                case .median:
                    let start = max(0, (ranked.count - n) / 2)
                    slice = ranked[start..<(start + n)]
                }
                for name in slice where taken.insert(name).inserted {
                    picks.append(Pick(name: name, group: group.rawValue, score: score(name)))
                }
            }
            return picks
        }
    }

    /// The ranking score of each slice: the mean of the defined per-image mean Dice values over
    /// every series (model and class) that has the slice.
    public static func scores(_ series: [ReportSeries]) -> [String: Double] {
        var sums: [String: (Double, Int)] = [:]
        for item in series {
            for image in item.images {
                var entry = sums[image.name] ?? (0, 0)
                if !image.meanDice.isNaN { entry = (entry.0 + image.meanDice, entry.1 + 1) }
                sums[image.name] = entry
            }
        }
        return sums.mapValues { $0.1 > 0 ? $0.0 / Double($0.1) : .nan }
    }
}
