import Evaluation
import Files
import Foundation
import Metrics
import Output

/// A shard's result (`segeval --shard i/n --out PART`), merged by `segeval merge` into every output
/// a single run writes, identical in every byte. Format documented in docs/sharding.md.
///
/// A part folder holds `partial.json` (this value: the run's settings, and per result the exact
/// sums as their partials' bit patterns, the counts and the finding digest) and, per result k,
/// `rows-k.csv` (its per_image.csv rows) and `images-k.json` (its summary.json entries).
public struct PartialResult: Codable, Sendable {
    public static let formatName = "segeval-partial"
    public static let formatVersion = 1
    public static let fileName = "partial.json"
    /// partial.json is refused beyond this size before it is read (a few kB per model).
    public static let maximumBytes = 256 << 20

    public var format = PartialResult.formatName
    public var version = PartialResult.formatVersion
    /// The segeval version that wrote it: parts of different versions are not merged.
    public var segeval: String
    public var protocolName: String
    public var shard: Int
    public var shards: Int
    public var weightedFMeasure: Bool
    public var allowEmptyGroundTruth: Bool
    public var curveKeys: [String]
    public var imageKeys: [String]
    public var imageSetWarnings: [String]
    public var results: [Part]

    /// One result's share.
    public struct Part: Codable, Sendable {
        public var model: String
        public var className: String?
        public var classLabel: Int?
        public var pairCount: Int
        public var resizedCount: Int
        public var folderNotes: [String]
        public var imageCount: Int
        public var curves: [[Sum]]
        public var adaptive: [Sum]
        public var images: [Sum]
        public var computed: [Bool]
        public var digest: FindingDigest
        public var entries: Int
    }

    /// A `ModelAccumulator.Mean`: counts, and the exact sum as the bit patterns of its partials
    /// (hexadecimal), with its non-finite counts `[NaN, +inf, -inf, overflow sign (0, 1, -1)]`.
    public struct Sum: Codable, Sendable {
        public var defined: Int
        public var undefined: Int
        public var partials: [String]
        public var special: [Int]

        init(_ mean: ModelAccumulator.Mean) {
            defined = mean.defined
            undefined = mean.undefined
            partials = mean.sum.partials.map { String($0.bitPattern, radix: 16) }
            let overflow = mean.sum.overflow.map { $0 == .plus ? 1 : -1 } ?? 0
            special = [mean.sum.nanCount, mean.sum.positiveInfinityCount, mean.sum.negativeInfinityCount, overflow]
        }

        func mean() -> ModelAccumulator.Mean? {
            let values = partials.compactMap { UInt64($0, radix: 16).map(Double.init(bitPattern:)) }
            guard values.count == partials.count, special.count == 4, defined >= 0, undefined >= 0,
                  [-1, 0, 1].contains(special[3]),
                  let sum = ExactSum(partials: values, nanCount: special[0], positiveInfinityCount: special[1],
                                     negativeInfinityCount: special[2],
                                     overflow: special[3] == 0 ? nil : (special[3] > 0 ? .plus : .minus)) else { return nil }
            return ModelAccumulator.Mean(sum: sum, defined: defined, undefined: undefined)
        }
    }

    static func rowsName(_ index: Int) -> String { "rows-\(index).csv" }
    static func imagesName(_ index: Int) -> String { "images-\(index).json" }

    /// Stages a shard's part folder's files into `files` (committed by the caller).
    public static func stage(_ record: EvaluationRecord, shard: Shard, weightedFMeasure: Bool, allowEmptyGroundTruth: Bool,
                             into files: StagedFiles) throws(OutputError) {
        let table = record.results.first?.accumulator.table ?? .standard
        var parts: [Part] = []
        for (index, result) in record.results.enumerated() {
            let accumulator = result.accumulator
            parts.append(Part(model: result.model, className: result.className, classLabel: result.classLabel,
                              pairCount: result.pairCount, resizedCount: result.resizedCount, folderNotes: result.folderNotes,
                              imageCount: accumulator.imageCount, curves: accumulator.curves.map { $0.map(Sum.init) },
                              adaptive: accumulator.adaptive.map(Sum.init), images: accumulator.images.map(Sum.init),
                              computed: accumulator.computed, digest: record.digests[index], entries: record.images[index].count))
            let rows = try files.stageStream(as: rowsName(index))
            for piece in record.rows[index].pieces { try rows.append(contentsOfFile: piece.path, naming: piece.name) }
            let images = try files.stageStream(as: imagesName(index))
            for piece in record.images[index].pieces { try images.append(contentsOfFile: piece.path, naming: piece.name) }
        }
        let partial = PartialResult(segeval: SegevalVersion.string, protocolName: record.protocolName, shard: shard.index,
                                    shards: shard.count, weightedFMeasure: weightedFMeasure,
                                    allowEmptyGroundTruth: allowEmptyGroundTruth, curveKeys: table.curves.map(\.rawValue),
                                    imageKeys: table.images.map(\.key), imageSetWarnings: record.imageSetWarnings, results: parts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(partial) else { preconditionFailure("a partial result encodes") }
        try files.stage(Array(data) + [0x0A], as: fileName)
    }

    /// Reads a part folder's partial.json.
    public static func read(folder: String) throws(ReportError) -> PartialResult {
        let path = (folder as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            // A FIFO or device there would block the read: only a regular file is read.
            do throws(FileError) { try RegularFile.check(path) } catch { throw ReportError(error.description) }
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int else {
            throw ReportError("\(folder): not a shard's part folder (no readable \(fileName); write one with segeval --shard i/n --out \(folder))")
        }
        guard size <= maximumBytes else { throw ReportError("\(path): \(size) bytes, more than a partial result may have (\(maximumBytes))") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError("\(path): cannot be read") }
        let partial: PartialResult
        do { partial = try JSONDecoder().decode(PartialResult.self, from: data) } catch {
            throw ReportError("\(path): not a segeval partial result (\(error))")
        }
        guard partial.format == formatName else { throw ReportError("\(path): not a segeval partial result") }
        guard partial.version == formatVersion else {
            throw ReportError("\(path): partial format \(partial.version); this segeval reads format \(formatVersion)")
        }
        return partial
    }

    /// Merges the parts of one run (every shard once, any order) into the record a single run
    /// makes. `folders[k]` holds `partials[k]`'s files.
    /// - Throws: `ReportError` naming what does not fit: another segeval version, protocol, metric
    ///   table or job list, a missing or repeated shard, or inconsistent counts.
    public static func merge(_ partials: [PartialResult], folders: [String]) throws(ReportError) -> (EvaluationRecord, PartialResult) {
        guard let first = partials.first else { throw ReportError("merge: give the part folders of every shard") }
        func missingShards() -> ReportError {
            let seen = Set(partials.map(\.shard))
            let missing = (0..<first.shards).filter { !seen.contains($0) }
            return ReportError("merge: missing shard(s) \(missing.map { "\($0)/\(first.shards)" }.joined(separator: ", ")) of \(first.shards)")
        }
        let order = partials.indices.sorted { partials[$0].shard < partials[$1].shard }
        for (position, index) in order.enumerated() {
            let part = partials[index]
            let folder = folders[index]
            guard part.segeval == first.segeval else {
                throw ReportError("\(folder): written by segeval \(part.segeval), \(folders[0]) by \(first.segeval): run every shard with one version")
            }
            guard part.shards == first.shards, part.protocolName == first.protocolName, part.weightedFMeasure == first.weightedFMeasure,
                  part.allowEmptyGroundTruth == first.allowEmptyGroundTruth,
                  part.curveKeys == first.curveKeys, part.imageKeys == first.imageKeys,
                  part.imageSetWarnings == first.imageSetWarnings else {
                throw ReportError("\(folder): not a shard of the same run as \(folders[0]) (its shard count, protocol, options or image sets differ)")
            }
            guard part.shard == position else {
                if partials.filter({ $0.shard == part.shard }).count > 1 {
                    throw ReportError("merge: shard \(part.shard)/\(first.shards) is given twice (\(folder))")
                }
                throw missingShards()
            }
            guard part.results.count == first.results.count,
                  zip(part.results, first.results).allSatisfy({ $0.model == $1.model && $0.className == $1.className
                      && $0.classLabel == $1.classLabel && $0.pairCount == $1.pairCount && $0.folderNotes == $1.folderNotes }) else {
                throw ReportError("\(folder): its models or image pairs differ from \(folders[0])'s: not a shard of the same run")
            }
        }
        guard partials.count == first.shards else { throw missingShards() }
        guard let evaluationProtocol = EvaluationProtocol.named(first.protocolName) else {
            throw ReportError("\(folders[0]): unknown protocol '\(first.protocolName)'")
        }
        let table = MetricTable.standard
        guard table.curves.map(\.rawValue) == first.curveKeys, table.images.map(\.key) == first.imageKeys else {
            throw ReportError("\(folders[0]): its metric table differs from this segeval's")
        }

        var results: [ModelResult] = []
        var digests: [FindingDigest] = []
        var rows: [ImageEntries] = [], images: [ImageEntries] = []
        for resultIndex in first.results.indices {
            var accumulator = ModelAccumulator(table: table)
            var resized = 0
            var digest = FindingDigest()
            var rowPieces: [ImageEntries.Piece] = [], imagePieces: [ImageEntries.Piece] = []
            for index in order {
                let part = partials[index].results[resultIndex]
                let folder = folders[index]
                /// Every sum decoded, or nil if one does not decode.
                func means(_ sums: [Sum]) -> [ModelAccumulator.Mean]? {
                    let decoded = sums.compactMap { $0.mean() }
                    return decoded.count == sums.count ? decoded : nil
                }
                let curves = part.curves.compactMap(means)
                guard curves.count == part.curves.count, let adaptive = means(part.adaptive), let imageSums = means(part.images),
                      part.resizedCount >= 0, part.entries == part.imageCount, part.digest.imageCount == part.imageCount,
                      let shardSums = ModelAccumulator(table: table, imageCount: part.imageCount, curves: curves,
                                                       adaptive: adaptive, images: imageSums, computed: part.computed),
                      shardSums.thresholds == ThresholdLadder.count else {
                    throw ReportError("\((folder as NSString).appendingPathComponent(fileName)): result \(resultIndex) (\(part.model)) is inconsistent")
                }
                let rowsPath = (folder as NSString).appendingPathComponent(rowsName(resultIndex))
                let imagesPath = (folder as NSString).appendingPathComponent(imagesName(resultIndex))
                for path in [rowsPath, imagesPath] {
                    do throws(FileError) { try RegularFile.check(path) } catch {
                        throw ReportError(error.description + " (a part of \(folder))")
                    }
                }
                accumulator.add(shardSums)
                resized += part.resizedCount
                digest.append(part.digest)
                rowPieces.append(.init(path: rowsPath, name: rowsPath, count: part.entries))
                imagePieces.append(.init(path: imagesPath, name: imagesPath, count: part.entries))
            }
            let part = first.results[resultIndex]
            guard accumulator.imageCount <= part.pairCount else {
                throw ReportError("merge: \(part.model) has \(accumulator.imageCount) images in its parts but \(part.pairCount) pairs")
            }
            results.append(ModelResult(model: part.model, className: part.className, classLabel: part.classLabel,
                                       accumulator: accumulator, protocol: evaluationProtocol, pairCount: part.pairCount,
                                       resizedCount: resized, folderNotes: part.folderNotes))
            digests.append(digest)
            rows.append(ImageEntries(pieces: rowPieces))
            images.append(ImageEntries(pieces: imagePieces))
        }
        let record = EvaluationRecord(protocolName: first.protocolName, thresholds: ThresholdLadder.values(for: evaluationProtocol.thresholdValues),
                                      results: results, digests: digests, rows: rows, images: images,
                                      imageSetWarnings: first.imageSetWarnings)
        return (record, first)
    }
}

/// The files an evaluation writes with `--out` (and `merge`): summary.csv, per_image.csv,
/// curves.csv, summary.json, table.md, table.tex.
public enum EvaluationOutputs {
    public static let names = ["summary.csv", "per_image.csv", "curves.csv", "summary.json", "table.md", "table.tex"]

    /// Stages every file into `files` (committed by the caller); the large ones stream.
    public static func stage(_ record: EvaluationRecord, table: ResultTable, decimals: Int, into files: StagedFiles) throws(OutputError) {
        let full = ResultTable(results: record.results, metrics: SummaryMetric.all(for: record.results.first?.summary.table ?? .standard))
        try files.stage(Array(full.csv().utf8), as: "summary.csv")
        try record.writePerImageCSV(to: try files.stageStream(as: "per_image.csv"))
        try files.stage(Array(DetailTables.curvesCSV(record.results, thresholds: record.thresholds).utf8), as: "curves.csv")
        try SummaryDocument.write(record, to: try files.stageStream(as: "summary.json"))
        try files.stage(Array(table.markdown(decimals: decimals).utf8), as: "table.md")
        try files.stage(Array(table.latex(decimals: decimals).utf8), as: "table.tex")
    }
}
