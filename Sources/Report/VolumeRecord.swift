import Evaluation
import Output
import Metrics

/// A volume evaluation's results, ready for every output: each (case, model, label) row with every
/// metric of `VolumeMetric`, each (model, label)'s means over volumes (undefined values left out
/// and counted), and the warnings about values that are null (infinite, NaN, raised, not defined).
public struct VolumeRecord: Sendable {
    public var evaluator: VolumeEvaluator
    public var models: [String]
    /// `--class NAME=K`: names of labels.
    public var labelNames: [Int32: String]
    public var rows: [VolumeEvaluator.Row]
    public var summaries: [Summary]
    public var warnings: [String]
    public var notes: [String]
    /// Every GT volume is empty for every label scored: almost certainly a mistake (said in
    /// `warnings`; the command stops unless --allow-empty-gt).
    public var everyGroundTruthEmpty: Bool

    /// The means of one model on one label.
    public struct Summary: Sendable {
        public var model: Int
        public var label: Int32
        public var volumes: Int
        /// Mean over the volumes with a finite value; `count` of them and `undefined` of the others.
        public var means: [VolumeMetric: (mean: Double?, count: Int, undefined: Int)]
    }

    public init(evaluator: VolumeEvaluator, layout: VolumeLayout, results: [VolumeEvaluator.CaseResult], labelNames: [Int32: String]) {
        self.evaluator = evaluator
        models = layout.models
        self.labelNames = labelNames
        rows = results.flatMap(\.rows)
        notes = results.flatMap(\.notes)
        warnings = layout.warnings
        let labels = Set(rows.map(\.label)).sorted()
        var summaries: [Summary] = []
        for model in models.indices {
            for label in labels {
                let selected = rows.filter { $0.model == model && $0.label == label }
                guard !selected.isEmpty else { continue }
                var means: [VolumeMetric: (mean: Double?, count: Int, undefined: Int)] = [:]
                for metric in VolumeMetric.allCases {
                    var sum = ExactSum()
                    var count = 0
                    for row in selected {
                        if let value = row.scores[metric].finite { sum.add(value); count += 1 }
                    }
                    means[metric] = (count > 0 ? sum.value / Double(count) : nil, count, selected.count - count)
                }
                summaries.append(Summary(model: model, label: label, volumes: selected.count, means: means))
                warnings += Self.nullWarnings(selected, name: "\(models[model]) \(Self.labelName(label, labelNames))")
            }
        }
        self.summaries = summaries
        everyGroundTruthEmpty = rows.allSatisfy(\.groundTruthEmpty)
        if everyGroundTruthEmpty {
            warnings.append("every GT volume is empty for every label scored (\(labels.map(String.init).joined(separator: ", "))): almost certainly the wrong --gt folder or --labels")
        }
    }

    public func labelName(_ label: Int32) -> String { Self.labelName(label, labelNames) }

    static func labelName(_ label: Int32, _ names: [Int32: String]) -> String {
        names[label].map { "label \(label) (\($0))" } ?? "label \(label)"
    }

    /// One line per kind of null (infinite, NaN, a raised exception, not defined) and set of cases,
    /// naming the metrics and the cases.
    static func nullWarnings(_ rows: [VolumeEvaluator.Row], name: String) -> [String] {
        var groups: [(kind: String, cases: [String], metrics: [VolumeMetric])] = []
        var notDefined: [VolumeMetric] = []
        for metric in VolumeMetric.allCases {
            var kinds: [(kind: String, cases: [String])] = []
            for row in rows {
                let empty = row.predictionEmpty && row.groundTruthEmpty ? "; both masks empty"
                    : row.predictionEmpty ? "; empty prediction" : row.groundTruthEmpty ? "; empty GT" : ""
                let kind: String
                switch row.scores[metric] {
                case .number(let value) where value.isNaN: kind = "NaN" + empty
                case .number(let value) where value.isInfinite: kind = (value > 0 ? "inf" : "-inf") + empty
                case .raises(let reason): kind = reason
                case .notDefined:
                    if !notDefined.contains(metric) { notDefined.append(metric) }
                    continue
                default: continue
                }
                if let index = kinds.firstIndex(where: { $0.kind == kind }) { kinds[index].cases.append(row.caseName) } else { kinds.append((kind, [row.caseName])) }
            }
            for (kind, cases) in kinds {
                if let index = groups.firstIndex(where: { $0.kind == kind && $0.cases == cases }) { groups[index].metrics.append(metric) } else { groups.append((kind, cases, [metric])) }
            }
        }
        var warnings = groups.map { group in
            let listed = group.cases.prefix(5).joined(separator: ", ") + (group.cases.count > 5 ? ", ..." : "")
            return "\(name): \(group.metrics.map(\.rawValue).joined(separator: ", ")) null (\(group.kind)) in \(group.cases.count) of \(rows.count) volumes: \(listed)"
        }
        if !notDefined.isEmpty {
            warnings.append("\(name): \(notDefined.map(\.rawValue).joined(separator: ", ")) null: not defined by this convention's library")
        }
        return warnings
    }

    // MARK: outputs

    static func json(_ value: VolumeValue) -> JSONValue {
        value.finite.map(JSONValue.number) ?? .null
    }

    /// summary.json for volumes (docs/volumes.md).
    public var document: JSONValue {
        let labels = Set(rows.map(\.label)).sorted()
        return .object([
            ("segeval", .string(SegevalVersion.string)),
            ("kind", .string("volumes")),
            ("distances", .object([
                ("convention", .string(evaluator.convention.rawValue)),
                ("library", .string(evaluator.convention.library)),
                ("toleranceMM", .number(evaluator.tolerance)),
                ("percentile", .integer(95)),
            ])),
            ("threshold", .object([("value", .number(evaluator.threshold)), ("rule", .string(">="))])),
            ("labels", .array(labels.map { label in
                .object([("label", .integer(Int(label))), ("name", labelNames[label].map(JSONValue.string) ?? .null)])
            })),
            ("models", .array(models.indices.map { model in
                .object([
                    ("model", .string(models[model])),
                    ("summary", .array(summaries.filter { $0.model == model }.map { summary in
                        .object([("label", .integer(Int(summary.label))), ("volumes", .integer(summary.volumes))]
                                + VolumeMetric.allCases.map { metric in
                                    let entry = summary.means[metric]!
                                    return (metric.rawValue, .object([("mean", JSONValue.finite(entry.mean)), ("count", .integer(entry.count)),
                                                                      ("undefined", .integer(entry.undefined))]))
                                })
                    })),
                    ("images", .array(rows.filter { $0.model == model }.map { row in
                        .object([("name", .string(row.caseName)), ("label", .integer(Int(row.label)))]
                                + VolumeMetric.allCases.map { ($0.rawValue, Self.json(row.scores[$0])) })
                    })),
                ])
            })),
            ("warnings", .array(warnings.map(JSONValue.string))),
            ("notes", .array(notes.map(JSONValue.string))),
        ])
    }

    /// per_image.csv: one row per (model, case, label), every metric (empty = null).
    public var perImageCSV: String {
        var lines = [(["model", "name", "label"] + VolumeMetric.allCases.map(\.rawValue)).joined(separator: ",")]
        for row in rows {
            let values = VolumeMetric.allCases.map { row.scores[$0].finite.map(NumberFormat.exact) ?? "" }
            lines.append(([CSV.field(models[row.model]), CSV.field(row.caseName), String(row.label)] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table: one group per label, one row per model, the chosen metrics' means.
    public func table(_ metrics: [VolumeMetric]) -> ResultTable {
        let columns = metrics.map(SummaryMetric.volume)
        let labels = Set(rows.map(\.label)).sorted()
        let groups = labels.map { label in
            ResultTable.Group(className: labelName(label), rows: summaries.filter { $0.label == label }.map { summary in
                ResultTable.Row(model: models[summary.model], images: summary.volumes, values: metrics.map { summary.means[$0]!.mean })
            })
        }
        return ResultTable(metrics: columns, groups: groups)
    }

    public static let defaultColumns: [VolumeMetric] = [.dice, .hd95, .assd, .nsd]
}

extension SummaryMetric {
    /// A volume metric's column (its mean over volumes); read from a `VolumeRecord`, never from a
    /// 2-D summary.
    public static func volume(_ metric: VolumeMetric) -> SummaryMetric {
        let header = metric.unit.map { "\(metric.rawValue) (\($0))" } ?? metric.rawValue
        let higher = !(metric.isDistance && metric != .nsd)
        return SummaryMetric(key: metric.rawValue, header: header, latexHeader: header, higherIsBetter: higher && metric != .volumeGT && metric != .volumePred,
                             aliases: [metric.rawValue.lowercased()]) { _ in nil }
    }
}

extension ResultTable {
    public init(metrics: [SummaryMetric], groups: [Group]) {
        self.metrics = metrics
        self.groups = groups
    }
}

/// The files `--out` writes for volumes.
public enum VolumeOutputs {
    public static let names = ["summary.json", "per_image.csv", "summary.csv", "table.md", "table.tex"]

    public static func stage(_ record: VolumeRecord, table: ResultTable, decimals: Int, into files: StagedFiles) throws(OutputError) {
        try files.stage(Array((record.document.serialized() + "\n").utf8), as: "summary.json")
        try files.stage(Array(record.perImageCSV.utf8), as: "per_image.csv")
        try files.stage(Array(record.table(VolumeMetric.allCases).csv().utf8), as: "summary.csv")
        try files.stage(Array(table.markdown(decimals: decimals).utf8), as: "table.md")
        try files.stage(Array(table.latex(decimals: decimals).utf8), as: "table.tex")
    }
}
