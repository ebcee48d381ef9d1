import Evaluation
import Files
import Foundation
import Metrics
import Output

/// A result's spooled per-image text (per_image.csv rows or summary.json entries): one piece per
/// run or shard, in order.
public struct ImageEntries: Sendable {
    public struct Piece: Sendable {
        /// The file holding the text.
        public var path: String
        /// What errors name.
        public var name: String
        /// Entries in it.
        public var count: Int

        public init(path: String, name: String, count: Int) {
            self.path = path
            self.name = name
            self.count = count
        }
    }

    public var pieces: [Piece] = []
    public var count: Int { pieces.reduce(0) { $0 + $1.count } }

    public init(pieces: [Piece] = []) { self.pieces = pieces }
}

/// Everything the outputs of an evaluation are written from, whether it ran in one go or was
/// merged from shards (`PartialResult`): the results (exact sums), each result's finding digest
/// and spooled per-image text, and the run's warnings about its image sets.
public struct EvaluationRecord: Sendable {
    public var protocolName: String
    public var thresholds: [Double]
    public var results: [ModelResult]
    public var digests: [FindingDigest]
    /// Per result: per_image.csv rows (no header).
    public var rows: [ImageEntries]
    /// Per result: summary.json `images` entries.
    public var images: [ImageEntries]
    /// Models of a class scored on different image sets (`imageSetWarnings`).
    public var imageSetWarnings: [String]
    /// The surface distances' settings when the run measured them (`--distances` on 2-D maps).
    public var distances: DistanceSettings?

    public init(protocolName: String, thresholds: [Double], results: [ModelResult], digests: [FindingDigest],
                rows: [ImageEntries], images: [ImageEntries], imageSetWarnings: [String]) {
        self.protocolName = protocolName
        self.thresholds = thresholds
        self.results = results
        self.digests = digests
        self.rows = rows
        self.images = images
        self.imageSetWarnings = imageSetWarnings
    }

    public var imageCount: Int { results.reduce(0) { $0 + $1.imageCount } }

    /// Every ground truth of the run is empty: almost certainly a mistake.
    public var everyGroundTruthEmpty: Bool {
        let images = digests.reduce(0) { $0 + $1.imageCount }
        return images > 0 && digests.allSatisfy { $0.emptyGroundTruths == $0.imageCount }
    }

    /// Models of one class scored on fewer images than the others (they are not comparable): one
    /// warning per such model, naming the images it lacks. From the jobs (every pair of the
    /// layout, whichever shard runs). Each job's pairs are sorted byte-wise by name, so the union
    /// of a class's names is walked as a merge: no table of a million names.
    public static func imageSetWarnings(_ jobs: [ModelJob]) -> [String] {
        var warnings: [String] = []
        var classes: [String?] = []
        for job in jobs where !classes.contains(job.className) { classes.append(job.className) }
        for className in classes {
            let group = jobs.filter { $0.className == className }
            // Walk the union in order; per job, count the names it has and keep the first missing.
            var positions = Array(repeating: 0, count: group.count)
            var unionCount = 0
            var missing = Array(repeating: [String](), count: group.count)
            while true {
                var smallest: String?
                for (index, job) in group.enumerated() where positions[index] < job.pairs.count {
                    let name = job.pairs[positions[index]].name
                    if smallest.map({ FolderListing.byteOrder(name, $0) }) ?? true { smallest = name }
                }
                guard let name = smallest else { break }
                unionCount += 1
                for (index, job) in group.enumerated() {
                    if positions[index] < job.pairs.count, job.pairs[positions[index]].name == name {
                        positions[index] += 1
                    } else if missing[index].count < 5 {
                        missing[index].append(name)
                    }
                }
            }
            for (index, job) in group.enumerated() where job.pairs.count < unionCount {
                let count = unionCount - job.pairs.count
                let name = [job.className, job.model].compactMap { $0 }.joined(separator: "/")
                let listed = missing[index].joined(separator: ", ") + (count > 5 ? " (and \(count - 5) more; \(count) in all)" : "")
                warnings.append("\(name): scored on \(job.pairs.count) of the \(unionCount) images the other models were scored on (\(count) missing: \(listed)); its row is not comparable with theirs")
            }
        }
        return warnings
    }

    /// per_image.csv, streamed: the header, then each result's rows.
    public func writePerImageCSV(to output: some TextOutput) throws(OutputError) {
        try output.write(DetailTables.perImageHeader(results.first?.summary.table ?? .standard))
        for entries in rows {
            for piece in entries.pieces where piece.count > 0 {
                try output.append(contentsOfFile: piece.path, naming: piece.name)
            }
        }
    }
}

/// What an evaluation keeps of each image as the images stream past (`Evaluator.run`'s
/// `consume`): the finding digests, the per-image text spooled to files (when the run writes
/// per_image.csv or summary.json), and the few numbers per image a report draws.
public final class ImageRecorder {
    public let table: MetricTable
    let names: [(model: String, className: String?)]
    public private(set) var digests: [FindingDigest]
    /// Per result, when kept (`keepsReportScores`): what the report's box plots and grid use.
    public private(set) var reportScores: [[ReportImageScore]]
    let keepsReportScores: Bool
    private let rowSpools: [StagedStream]
    private let entrySpools: [StagedStream]
    private var counts: [Int]
    /// The first spool write that failed (the run's outputs are then not written).
    public private(set) var failure: OutputError?

    /// - Parameters:
    ///   - jobs: the run's jobs, in result order.
    ///   - spools: where to spool per-image text (nil: not kept).
    public convenience init(jobs: [ModelJob], table: MetricTable, spools: StagedFiles?, keepsReportScores: Bool = false) throws(OutputError) {
        try self.init(models: jobs.map { ($0.model, $0.className) }, table: table, spools: spools, keepsReportScores: keepsReportScores)
    }

    /// - Parameter models: (model, class) of each result, in order.
    public init(models: [(model: String, className: String?)], table: MetricTable, spools: StagedFiles?, keepsReportScores: Bool = false) throws(OutputError) {
        self.table = table
        names = models
        digests = Array(repeating: FindingDigest(), count: models.count)
        reportScores = Array(repeating: [], count: models.count)
        self.keepsReportScores = keepsReportScores
        var rows: [StagedStream] = [], entries: [StagedStream] = []
        if let spools {
            for _ in models {
                rows.append(try spools.scratch())
                entries.append(try spools.scratch())
            }
        }
        rowSpools = rows
        entrySpools = entries
        counts = Array(repeating: 0, count: models.count)
    }

    public func record(job: Int, image: ImageScores) {
        digests[job].add(image)
        if keepsReportScores {
            let distance = { (key: String) in self.table.image(key).flatMap { image.values[$0] } }
            reportScores[job].append(ReportImageScore(name: image.name, meanDice: image.mean(.dice), sMeasure: image.sMeasure,
                                                      hd95: distance("HD95"), nsd: distance("NSD")))
        }
        guard !rowSpools.isEmpty, failure == nil else { return }
        do throws(OutputError) {
            try rowSpools[job].write(DetailTables.perImageRow(model: names[job].model, className: names[job].className, image: image, table: table))
            try entrySpools[job].write((counts[job] > 0 ? ",\n" : "") + SummaryDocument.imageEntry(image, table: table))
            counts[job] += 1
        } catch {
            failure = error
        }
    }

    /// The spooled text (flushed), per result.
    public func entries() throws(OutputError) -> (rows: [ImageEntries], images: [ImageEntries]) {
        if let failure { throw failure }
        var rows: [ImageEntries] = [], images: [ImageEntries] = []
        for index in names.indices {
            guard index < rowSpools.count else {
                rows.append(ImageEntries())
                images.append(ImageEntries())
                continue
            }
            try rowSpools[index].flush()
            try entrySpools[index].flush()
            rows.append(ImageEntries(pieces: [.init(path: rowSpools[index].path, name: "per_image.csv", count: counts[index])]))
            images.append(ImageEntries(pieces: [.init(path: entrySpools[index].path, name: "summary.json", count: counts[index])]))
        }
        return (rows, images)
    }
}
