import Dispatch
import Evaluation
import Files
import Foundation
import ImageIO
import Metrics

/// Reads the files behind the comparison grid (CT slices, ground truth, predictions) and
/// composes every cell with `Overlay`. Files are only read; rows are composed in parallel.
public struct GridComposer: Sendable {
    /// A class of the grid, in report order.
    public struct ClassEntry: Sendable {
        public var name: String?
        public var label: Int?
        public var style: ClassStyle
    }

    public let columns: GridColumns
    public let classes: [ClassEntry]
    public let threshold: Double
    /// Per class, per model: the pairs by image name.
    let pairs: [[String: [String: ImagePair]]]
    /// Per class, per model: the per-image mean Dice by image name.
    let dice: [[String: [String: Double]]]
    /// CT slices by stem (nil: no `--images`).
    let slices: [String: String]?
    let imagesFolder: String?
    /// Every slice name, in file-name order.
    public let imageNames: [String]

    /// - Parameters:
    ///   - jobs: the evaluated jobs (for the file paths); `data` decides models and order.
    ///   - imagesFolder: the CT slices (`--images`), PNG or JPEG, matched by stem.
    /// - Throws: `ReportError` when `imagesFolder` is not a folder.
    public init(jobs: [ModelJob], data: ReportData, imagesFolder: String?, threshold: Double) throws(ReportError) {
        let groups = data.classGroups
        classes = groups.map { group in
            let label = group.series.first?.classLabel
            return ClassEntry(name: group.className, label: label, style: .forClass(label: label, name: group.className))
        }
        columns = GridColumns(showsCT: imagesFolder != nil, models: data.modelNames)
        self.threshold = threshold
        var pairs: [[String: [String: ImagePair]]] = []
        var dice: [[String: [String: Double]]] = []
        var names = Set<String>()
        for group in groups {
            var byModel: [String: [String: ImagePair]] = [:]
            var diceByModel: [String: [String: Double]] = [:]
            for series in group.series {
                if let job = jobs.first(where: { $0.className == group.className && $0.model == series.model }) {
                    byModel[series.model] = Dictionary(job.pairs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
                    names.formUnion(job.pairs.map(\.name))
                }
                diceByModel[series.model] = Dictionary(series.images.map { ($0.name, $0.meanDice) }, uniquingKeysWith: { first, _ in first })
            }
            pairs.append(byModel)
            dice.append(diceByModel)
        }
        self.pairs = pairs
        self.dice = dice
        imageNames = names.sorted(by: FolderListing.byteOrder)
        self.imagesFolder = imagesFolder
        if let imagesFolder {
            if let problem = FolderListing.notAFolder(imagesFolder) {
                throw ReportError("\(imagesFolder): CT slice folder \(problem) (--images)")
            }
            var slices: [String: String] = [:]
            for name in FolderListing.entries(of: imagesFolder) ?? []
            where ImageReader.imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                slices[FolderListing.stem(name), default: imagesFolder + "/" + name] = imagesFolder + "/" + name
            }
            self.slices = slices
        } else {
            slices = nil
        }
    }

    /// Composes the rows of `picks`, in parallel.
    /// - Parameter progress: (rows done, total) from worker threads.
    /// - Returns: the rows in order, and warnings (missing CT slices, unreadable files).
    public func compose(_ picks: [CaseSelection.Pick], progress: (@Sendable (Int, Int) -> Void)? = nil) -> (rows: [GridRow], warnings: [String]) {
        let counter = ProgressCounter(total: picks.count, report: progress)
        let results = parallelMap(count: picks.count) { index in
            defer { counter.step() }
            return row(picks[index])
        }
        return (results.map(\.0), results.flatMap(\.1))
    }

    /// One row: read, threshold and compose every cell of a slice.
    func row(_ pick: CaseSelection.Pick) -> (GridRow, [String]) {
        var warnings: [String] = []
        let (truths, size) = groundTruths(of: pick, warnings: &warnings)
        guard let size else {
            return (GridRow(pick: pick, cells: Array(repeating: GridCell(note: "no ground truth"), count: columns.titles.count)), warnings)
        }
        var cells: [GridCell] = []
        var base: RGBRaster?
        if slices != nil {
            let ct = ctCell(of: pick, size: size, warnings: &warnings)
            base = ct.base
            cells.append(ct)
        }
        let truthLayers = zip(classes, truths).compactMap { entry, mask in mask.map { (entry.style, $0) } }
        // Contour bands once per row, shared by the GT cell and every model cell.
        let edges = truthLayers.map { style, mask in
            OverlayLayer(mask: Overlay.boundary(of: mask, width: size.width, height: size.height, thickness: Overlay.contourWidth),
                         color: style.contour)
        }
        cells.append(GridCell(base: base, width: size.width, height: size.height,
                              fills: truthLayers.map { OverlayLayer(mask: $0.1, color: $0.0.fill) }, edges: edges))
        for model in columns.models {
            cells.append(modelCell(model, pick: pick, size: size, base: base, edges: edges, warnings: &warnings))
        }
        return (GridRow(pick: pick, cells: cells), warnings)
    }

    /// The ground truth of each class (from the first model that has the slice; nil where there is
    /// none, it cannot be read, or its size differs from the first one's), and that size.
    func groundTruths(of pick: CaseSelection.Pick, warnings: inout [String]) -> (masks: [[UInt8]?], size: (width: Int, height: Int)?) {
        var truths: [[UInt8]?] = []
        var size: (width: Int, height: Int)?
        for classIndex in classes.indices {
            guard let pair = columns.models.lazy.compactMap({ self.pairs[classIndex][$0]?[pick.name] }).first else {
                truths.append(nil)
                continue
            }
            do throws(FileError) {
                let mask = try pair.groundTruth.read()
                if size == nil { size = (mask.width, mask.height) }
                if let size, size.width == mask.width, size.height == mask.height {
                    truths.append(mask.pixels)
                } else {
                    warnings.append("\(pair.groundTruth.path): ground truth size differs from the other classes'; not shown")
                    truths.append(nil)
                }
            } catch {
                warnings.append("\(error.description); ground truth not shown")
                truths.append(nil)
            }
        }
        return (truths, size)
    }

    /// The CT cell: the slice resized to the ground truth's size, or a "missing" note.
    func ctCell(of pick: CaseSelection.Pick, size: (width: Int, height: Int), warnings: inout [String]) -> GridCell {
        let stem = FolderListing.stem(pick.name)
        guard let path = slices?[stem] else {
            warnings.append("no CT slice for \(pick.name) in \(imagesFolder ?? "--images") (looked for \(stem).png/.jpg/.jpeg); CT cell shows 'missing'")
            return GridCell(note: "missing")
        }
        do throws(FileError) {
            let image = try ImageReader.read(path: path)
            let gray = SliceImage.resized(SliceImage.gray(image), width: image.width, height: image.height,
                                          toWidth: size.width, toHeight: size.height)
            let base = RGBRaster(gray: gray, width: size.width, height: size.height)
            return GridCell(base: base, width: size.width, height: size.height)
        } catch {
            warnings.append("\(error.description); CT cell shows 'missing'")
            return GridCell(note: "missing")
        }
    }

    /// A model's cell: its thresholded prediction of each class over the CT, the GT contours, and
    /// its per-image Dice; "no prediction" when it has none for the slice.
    func modelCell(_ model: String, pick: CaseSelection.Pick, size: (width: Int, height: Int), base: RGBRaster?,
                   edges: [OverlayLayer], warnings: inout [String]) -> GridCell {
        var fills: [OverlayLayer] = []
        var labels: [String] = []
        for (classIndex, entry) in classes.enumerated() {
            guard let pair = pairs[classIndex][model]?[pick.name] else { continue }
            do throws(FileError) {
                let map = try pair.readPrediction(size: size).map
                fills.append(OverlayLayer(mask: PredictionMask.binary(map, threshold: threshold), color: entry.style.fill))
            } catch {
                warnings.append("\(error.description); prediction not shown")
            }
            let value = NumberFormat.fixed(dice[classIndex][model]?[pick.name], decimals: 3)
            labels.append(classes.count > 1 ? "\(entry.style.shortName) \(value)" : value)
        }
        guard !labels.isEmpty else { return GridCell(note: "no prediction") }
        return GridCell(base: base, width: size.width, height: size.height, fills: fills, edges: edges, label: labels)
    }
}
