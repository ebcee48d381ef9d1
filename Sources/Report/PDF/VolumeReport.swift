import Evaluation
import Metrics
import VolumeIO

/// The report of a volume evaluation (`segeval report --pred VOLUMES --gt VOLUMES`): the table of
/// means per label; per label, box plots of each volume's HD95 and NSD, one box per model; and a
/// comparison grid with, for each case, the axial slice (fixed z) where the GT has the most
/// labelled voxels: the GT's labels, then each model's prediction over the GT's contours.
public enum VolumeReport {
    /// One case's slice as the grid shows it: labels per pixel (x across, y down), GT first.
    public struct Slice: Sendable {
        public var name: String
        public var z: Int
        public var width: Int
        public var height: Int
        public var groundTruth: [Int32]
        /// Per model (nil: no prediction of this case).
        public var predictions: [[Int32]?]
    }

    /// The slice of each case with the largest GT area (all non-zero labels; the lowest z on a
    /// tie), read again from the files, one case per worker; a probability map is thresholded as
    /// in the evaluation.
    public static func slices(_ layout: VolumeLayout, evaluator: VolumeEvaluator) throws -> [Slice] {
        let outcomes = parallelMap(count: layout.cases.count, threads: evaluator.threads) { index -> Result<Slice, EvaluationError> in
            Result { try slice(layout.cases[index], evaluator: evaluator) }.mapError { $0 as? EvaluationError ?? EvaluationError("\($0)") }
        }
        return try outcomes.map { try $0.get() }
    }

    static func slice(_ item: VolumeLayout.Case, evaluator: VolumeEvaluator) throws -> Slice {
        let groundTruth = try NIfTIReader.read(path: item.groundTruth)
        let (nx, ny, nz) = (groundTruth.size[0], groundTruth.size[1], groundTruth.size[2])
        let plane = nx * ny
        let labels = labelsOf(groundTruth, threshold: 0.5, label: 1)
        var best = 0, bestArea = -1
        for z in 0..<nz {
            var area = 0
            for index in (plane * z)..<(plane * (z + 1)) where labels(index) != 0 { area += 1 }
            if area > bestArea { (best, bestArea) = (z, area) }
        }
        let window = (plane * best)..<(plane * (best + 1))
        let onlyLabel = Set(window.map(labels)).subtracting([0]).first ?? 1
        var predictions: [[Int32]?] = []
        for path in item.predictions {
            guard let path else { predictions.append(nil); continue }
            let read = try NIfTIReader.read(path: path)
            guard let (aligned, _) = try? GridAlignment.align(read, to: groundTruth) else {
                throw EvaluationError("\(path) and its GT \(item.groundTruth) are not on the same voxel grid")
            }
            let predicted = labelsOf(aligned, threshold: evaluator.threshold, label: evaluator.labels?.first ?? onlyLabel)
            predictions.append(window.map(predicted))
        }
        return Slice(name: item.name, z: best, width: nx, height: ny, groundTruth: window.map(labels), predictions: predictions)
    }

    /// A volume's voxels as labels (a float map: `label` where >= threshold).
    static func labelsOf(_ volume: Volume, threshold: Double, label: Int32) -> (Int) -> Int32 {
        let samples = volume.samples
        return samples.isLabelMap ? { Int32(samples.value(at: $0)) } : { samples.value(at: $0) >= threshold ? label : 0 }
    }

    /// The PDF: tables, box plots per label, the grid.
    public static func build(_ record: VolumeRecord, slices: [Slice], info: ReportInfo, columns: [VolumeMetric]) throws(ReportError) -> (pdf: [UInt8], pages: Int) {
        let document = try PDFDocument(pageSize: info.pageSize, title: info.title, creator: "segeval \(SegevalVersion.string)")
        let footer = "\(info.title) · segeval \(SegevalVersion.string) · \(info.date)"
        var number = 0
        func next() -> Int { number += 1; return number }
        let labels = Set(record.rows.map(\.label)).sorted()
        document.page { tablePage($0, record: record, info: info, columns: columns, pageNumber: next(), footer: footer) }
        for label in labels {
            document.page { boxPlotPage($0, record: record, label: label, info: info, pageNumber: next(), footer: footer) }
        }
        let rows = gridRows(record, slices: slices, labels: labels)
        if !rows.isEmpty {
            let gridColumns = GridColumns(showsCT: false, models: record.models)
            var area = info.pageSize.content
            let top = area.y + Style.pageTitleSize + 30
            area.height = area.maxY - top
            area.y = top
            let layout = GridLayout(area: area, columns: gridColumns.titles.count, headerLines: 1, labelLines: 1)
            let pages = layout.pageCount(rows: rows.count)
            let styles = labels.map { ClassStyle.forClass(label: Int($0), name: record.labelNames[$0]) }
            let legend = [
                labels.enumerated().map { "\(record.labelName($1)): \(GridPage.colorName(styles[$0]))" }.joined(separator: ", ")
                    + " (GT: fill in the GT column, contour in the model columns; prediction: fill); each case's axial slice (fixed z) with the largest GT area.",
                "Under each cell: the case, the slice, and the model's Dice on that volume for each label (\(record.evaluator.convention.rawValue) convention).",
            ]
            for page in 0..<pages {
                let start = page * layout.rowsPerPage
                document.page {
                    GridPage.draw($0, rows: rows[start..<min(start + layout.rowsPerPage, rows.count)], columns: gridColumns, layout: layout,
                                  title: "Visual comparison" + (pages > 1 ? " (\(page + 1)/\(pages))" : ""),
                                  legend: legend, pageNumber: next(), footer: footer, page: info.pageSize)
                }
            }
        }
        let bytes = try document.finish()
        return (bytes, document.pageCount)
    }

    static func tablePage(_ canvas: Canvas, record: VolumeRecord, info: ReportInfo, columns: [VolumeMetric], pageNumber: Int, footer: String) {
        let content = info.pageSize.content
        let convention = record.evaluator.convention
        let cases = Set(record.rows.map(\.caseName)).count
        let block: [(String, String)] = info.dataset.enumerated().map { ($0.offset == 0 ? "Dataset" : "", $0.element) } + [
            ("Volumes", "\(cases) cases x \(record.models.count) models"),
            ("Distances", "\(convention.rawValue): \(convention.library); NSD tolerance \(NumberFormat.exact(record.evaluator.tolerance)) mm"),
            ("Date", info.date),
            ("Version", "segeval \(SegevalVersion.string)"),
        ]
        let top = TablePage.drawHeading(canvas, info: info, block: block, pageNumber: pageNumber, footer: footer)
        let y = TablePage.drawGroups(canvas, table: record.table(columns), top: top, area: content, palette: info.palette, modelNames: record.models)
        TablePage.drawFootnote(canvas, [
            "Means over volumes; a volume where a metric is null (infinite, NaN, or raised by the library) is left out of its mean",
            "and named in summary.json's warnings. Distances in mm, volumes in mL. docs/distances.md: each convention's definitions.",
        ], top: y, area: content)
    }

    static func boxPlotPage(_ canvas: Canvas, record: VolumeRecord, label: Int32, info: ReportInfo, pageNumber: Int, footer: String) {
        // Each volume of the label as a report "image" with its HD95 and NSD.
        let series = record.models.indices.map { model in
            ReportSeries(model: record.models[model], className: nil, classLabel: nil, values: [:], curves: [:],
                         images: record.rows.filter { $0.model == model && $0.label == label }.map { row in
                             ReportImageScore(name: row.caseName, meanDice: row.scores[.dice].finite ?? .nan, sMeasure: .nan,
                                              hd95: row.scores[.hd95].finite ?? .nan, nsd: row.scores[.nsd].finite ?? .nan)
                         })
        }
        let data = ReportData(protocolName: record.evaluator.convention.rawValue, thresholds: [], series: series, computedBy: SegevalVersion.string)
        let tolerance = NumberFormat.exact(record.evaluator.tolerance)
        BoxPlotPage.drawPanels(canvas, title: "Per-volume distances — \(record.labelName(label))", series: series, data: data, info: info,
                               pageNumber: pageNumber, footer: footer, panels: [
                                   ("Per-volume HD95 (mm)", "HD95", { $0.hd95 ?? .nan }),
                                   ("Per-volume NSD at \(tolerance) mm", "NSD", { $0.nsd ?? .nan }),
                               ], undefinedWords: "Null values (empty masks, or not defined by the convention) left out")
    }

    /// One row per case: the GT's labels as fills, each model's labels as fills over the GT's
    /// contours, Dice per label under each model cell.
    static func gridRows(_ record: VolumeRecord, slices: [Slice], labels: [Int32]) -> [GridRow] {
        let styles = Dictionary(uniqueKeysWithValues: labels.map { ($0, ClassStyle.forClass(label: Int($0), name: record.labelNames[$0])) })
        return slices.map { slice in
            func layers(_ values: [Int32], contour: Bool) -> [OverlayLayer] {
                labels.compactMap { label in
                    let mask = values.map { $0 == label ? UInt8(1) : 0 }
                    guard mask.contains(1), let style = styles[label] else { return nil }
                    guard contour else { return OverlayLayer(mask: mask, color: style.fill) }
                    return OverlayLayer(mask: Overlay.boundary(of: mask, width: slice.width, height: slice.height, thickness: Overlay.contourWidth),
                                        color: style.contour)
                }
            }
            let pick = CaseSelection.Pick(name: "\(slice.name) z=\(slice.z)", group: nil, score: .nan)
            var cells = [GridCell(base: nil, width: slice.width, height: slice.height, fills: layers(slice.groundTruth, contour: false),
                                  label: ["\(slice.name), z = \(slice.z)"])]
            for (model, prediction) in slice.predictions.enumerated() {
                guard let prediction else { cells.append(GridCell(note: "no prediction")); continue }
                let dice = labels.compactMap { label -> String? in
                    guard let row = record.rows.first(where: { $0.caseName == slice.name && $0.model == model && $0.label == label }) else { return nil }
                    let value = row.scores[.dice].finite.map { NumberFormat.fixed($0, decimals: 3) } ?? "-"
                    return labels.count > 1 ? "\(record.labelNames[label].map { String($0.prefix(6)) } ?? "\(label)") \(value)" : value
                }
                cells.append(GridCell(base: nil, width: slice.width, height: slice.height, fills: layers(prediction, contour: false),
                                      edges: layers(slice.groundTruth, contour: true), label: [dice.joined(separator: " ")]))
            }
            return GridRow(pick: pick, cells: cells)
        }
    }
}
