/// The metrics segeval measures, one entry each: the table everything else iterates over. Adding
/// a metric is adding one entry here (or to a copy, with `adding`): a `CurveMetric` (a function
/// of the counts at each threshold: its curve, statistics, keys, headers and aliases follow) or an
/// `ImageMetric` (one value per image, averaged over images).
///
/// Order: the table's order is that of array-backed storage. Files of format 1 list their
/// documented keys in their documented order first and any further metric after them, in table
/// order (`SummaryDocument.formatOneCurveKeys`, `SummaryMetric.formatOneOrder`).
public struct MetricTable: Sendable, Hashable {
    public private(set) var curves: [CurveMetric]
    /// The per-image metrics, in the order of their `per_image.csv` columns and JSON members.
    public private(set) var images: [ImageMetric]

    /// The curve metric with this key, if any.
    public func curve(_ rawValue: String) -> CurveMetric? { curves.first { $0.rawValue == rawValue } }

    /// The per-image metric with this key, if any.
    public func image(_ key: String) -> ImageMetric? { images.first { $0.key == key } }

    /// This table with one more per-image metric (its `index` is set to its position).
    public func adding(image make: (_ index: Int) -> ImageMetric) -> MetricTable {
        var table = self
        let metric = make(images.count)
        precondition(metric.index == images.count && image(metric.key) == nil, "a new key, at the end of the table")
        table.images.append(metric)
        return table
    }

    /// This table with one more curve metric (its `index` is set to its position).
    public func adding(_ make: (_ index: Int) -> CurveMetric) -> MetricTable {
        var table = self
        let metric = make(curves.count)
        precondition(metric.index == curves.count && curve(metric.rawValue) == nil, "a new key, at the end of the table")
        table.curves.append(metric)
        return table
    }

    /// Every metric of the published toolbox and the textbook extras.
    public static let standard: MetricTable = {
        typealias H = CurveMetric.Header
        func ratio(_ score: @escaping @Sendable (BinaryScores) -> Double) -> @Sendable (ThresholdCounts, EvaluationProtocol) -> Double {
            { counts, _ in score(counts.scores) }
        }
        let entries: [(Int) -> CurveMetric] = [
            { CurveMetric("dice", index: $0, name: "Dice", header: H("Dice", latex: "Dice"), aliases: ["dice"], value: ratio(\.dice)) },
            // adpIoU is a summary column of its own (`SummaryMetric.adaptiveIoU`): under the Inf-Net
            // presets it is computed from the mean adaptive F, not averaged.
            { CurveMetric("iou", index: $0, name: "IoU", header: H("IoU", latex: "IoU"), summaryStatistics: [.mean, .max],
                          aliases: ["iou"], value: ratio(\.iou)) },
            { CurveMetric("sensitivity", index: $0, name: "Sensitivity", header: H("Sen.", latex: "Sen."),
                          aliases: ["sen", "sensitivity"], value: ratio(\.sensitivity)) },
            { CurveMetric("specificity", index: $0, name: "Specificity", header: H("Spec.", latex: "Spec."),
                          aliases: ["spe", "spec", "specificity"], value: ratio(\.specificity)) },
            { CurveMetric("precision", index: $0, name: "Precision", header: H("Prec.", latex: "Prec."),
                          aliases: ["precision", "pre"], value: ratio(\.precision)) },
            { CurveMetric("fmeasure", index: $0, name: "Fmeasure", header: H("F1", latex: "$F_1$"), aliases: ["f", "fm"],
                          value: ratio(\.fmeasure)) },
            { CurveMetric("fmeasureBeta03", index: $0, name: "FmeasureBeta03", header: H("F_0.3", latex: "$F_{\\beta}$"),
                          value: ratio(\.fmeasureBeta03)) },
            { CurveMetric("emeasure", index: $0, name: "Emeasure", header: H("E_phi^mean", latex: "$E_\\phi^{mean}$"),
                          headers: [.max: H("E_phi^max", latex: "$E_\\phi^{max}$"), .adaptive: H("E_phi^adp", latex: "$E_\\phi^{adp}$")],
                          aliases: ["em", "e"]) { counts, evaluationProtocol in
                    EMeasure.score(counts.eMeasure, denominator: evaluationProtocol.eMeasureDenominator)
                } },
        ]
        var table = MetricTable(curves: [], images: [])
        for entry in entries { table = table.adding(entry) }
        for entry in imageEntries { table = table.adding(image: entry) }
        return table
    }()

    /// The standard per-image metrics.
    static let imageEntries: [@Sendable (Int) -> ImageMetric] = [
        { ImageMetric("Smeasure", index: $0, label: "sMeasure", header: .init("S_alpha", latex: "$S_\\alpha$"), aliases: ["sm", "s"]) { pair in
            let groundTruth = pair.groundTruth, rule = pair.evaluationProtocol.emptyBlockRule
            let structure = SMeasure.score(histogram: pair.histogram, levelValues: pair.levelValues, width: groundTruth.width,
                                           height: groundTruth.height, centroid: groundTruth.centroid, emptyBlockRule: rule)
            guard structure.hasEmptyBlock else { return ImageValue(structure.value) }
            switch rule {
            case .undefined:
                return ImageValue(structure.value, findings: [.sMeasureUndefined(centroidX: groundTruth.centroid.x, centroidY: groundTruth.centroid.y)])
            case .weightZero:
                return ImageValue(structure.value, findings: [.sMeasureEmptyBlockWeightedZero])
            }
        } },
        { ImageMetric("MAE", index: $0, label: "meanAbsoluteError", header: .init("MAE", latex: "MAE"), higherIsBetter: false,
                      aliases: ["mae"]) { pair in
            ImageValue(MeanAbsoluteError.score(histogram: pair.histogram, levelValues: pair.levelValues))
        } },
        { ImageMetric("wFmeasure", index: $0, label: "weightedFMeasure", header: .init("wF", latex: "$F_\\beta^w$"),
                      aliases: ["wfm", "wf"], isOnRequest: true) { pair in
            guard pair.computesWeightedFMeasure else { return ImageValue(nil) }
            let pixelValues = ImageEvaluator.pixelValues(pair.prediction, levelValues: pair.levelValues)
            if let score = WeightedFMeasure.score(prediction: pixelValues, groundTruth: pair.groundTruth, preparation: pair.preparation) {
                return ImageValue(score)
            }
            switch pair.evaluationProtocol.countConvention {
            case .toolboxZeroWhenNoTruePositive:
                return ImageValue(0, findings: [.weightedFMeasureZero])
            case .textbook:
                return ImageValue(.nan)
            }
        } },
    ]
}

extension ImageMetric {
    /// The standard table's entries, by name.
    public static let sMeasure = MetricTable.standard.image("Smeasure")!
    public static let meanAbsoluteError = MetricTable.standard.image("MAE")!
    public static let weightedFMeasure = MetricTable.standard.image("wFmeasure")!
}

extension CurveMetric {
    /// The standard table's entries, by name.
    public static let dice = MetricTable.standard.curve("dice")!
    public static let iou = MetricTable.standard.curve("iou")!
    public static let sensitivity = MetricTable.standard.curve("sensitivity")!
    public static let specificity = MetricTable.standard.curve("specificity")!
    public static let precision = MetricTable.standard.curve("precision")!
    public static let fmeasure = MetricTable.standard.curve("fmeasure")!
    public static let fmeasureBeta03 = MetricTable.standard.curve("fmeasureBeta03")!
    public static let emeasure = MetricTable.standard.curve("emeasure")!

    /// The standard table's curve metrics.
    public static var allCases: [CurveMetric] { MetricTable.standard.curves }
}
