import Files
import Foundation

/// Where a ground truth comes from: a binary mask file, or class `label` of a label map.
public struct GroundTruthSource: Hashable, Sendable {
    /// The folder (one string shared by every pair of a job: a million pairs hold one copy).
    public var folder: String
    public var name: String
    /// nil: a binary mask read with the protocol's GT rules; k: the label map's pixels equal to k.
    public var label: Int?

    public init(folder: String, name: String, label: Int? = nil) {
        self.folder = folder
        self.name = name
        self.label = label
    }

    public init(path: String, label: Int? = nil) {
        self.init(folder: (path as NSString).deletingLastPathComponent, name: (path as NSString).lastPathComponent, label: label)
    }

    public var path: String { folder + "/" + name }
}

/// One prediction file and its ground truth: 40 bytes, the two names and a reference to the
/// folders that every pair of a job shares (a million pairs hold one copy of the paths).
public struct ImagePair: Hashable, Sendable {
    /// The prediction's file name (e.g. `18.png`), used as the image's name in every output.
    public var name: String
    /// The ground truth's file name (the prediction's, or the one with its stem).
    public var groundTruthName: String
    public var folders: Folders

    /// The folders of a job's pairs and how its ground truths are read.
    public final class Folders: Hashable, Sendable {
        public let prediction: String
        public let groundTruth: String
        /// nil: binary masks; k: label maps read as `== k`.
        public let label: Int?

        public init(prediction: String, groundTruth: String, label: Int?) {
            self.prediction = prediction
            self.groundTruth = groundTruth
            self.label = label
        }

        public static func == (a: Folders, b: Folders) -> Bool {
            a === b || (a.prediction == b.prediction && a.groundTruth == b.groundTruth && a.label == b.label)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(prediction)
            hasher.combine(groundTruth)
            hasher.combine(label)
        }
    }

    public init(name: String, groundTruthName: String, folders: Folders) {
        self.name = name
        self.groundTruthName = groundTruthName
        self.folders = folders
    }

    public var predictionFolder: String { folders.prediction }
    public var predictionPath: String { folders.prediction + "/" + name }
    public var groundTruth: GroundTruthSource {
        GroundTruthSource(folder: folders.groundTruth, name: groundTruthName, label: folders.label)
    }
}

/// One model's folder (for one class in the multi-class layout) with its pairs.
public struct ModelJob: Sendable {
    public var model: String
    /// nil for single-class evaluation.
    public var className: String?
    public var classLabel: Int?
    public var predictionFolder: String
    public var pairs: [ImagePair]
    /// Predictions without a ground truth that were skipped (`--skip-missing`); the evaluation's
    /// notes name them.
    public var skipped: [String]
    /// Other notes about the folder (e.g. upper-case `.PNG` files the MATLAB toolbox would skip).
    public var notes: [String]
}

/// How the folders given with `--pred` and `--gt` are laid out.
public enum LayoutKind: String, Sendable, CaseIterable {
    /// `--pred` holds PNGs: one model, named after the folder.
    case singleModel = "single"
    /// `--pred` holds folders of PNGs: one model each.
    case models
    /// `--pred` holds class folders holding model folders; `--gt` holds `GT-k/` or a label map `GT/`.
    case classes
}

/// Finds the layout of a prediction tree and pairs every prediction with its ground truth.
public struct LayoutResolver: Sendable {
    /// Known class folder names (lower-cased) and their labels.
    public static let defaultClassLabels: [String: Int] = [
        "ground-glass opacities": 1, "ground-glass opacity": 1, "ggo": 1,
        "consolidation": 2, "consolidations": 2,
    ]

    public var predictionRoot: String
    public var groundTruthRoot: String
    public var forcedLayout: LayoutKind?
    /// `--class NAME=K` overrides (names compared case-insensitively).
    public var classLabels: [String: Int]
    public var skipMissing: Bool

    public init(predictionRoot: String, groundTruthRoot: String, forcedLayout: LayoutKind? = nil,
                classLabels: [String: Int] = [:], skipMissing: Bool = false) {
        self.predictionRoot = Self.trimmed(predictionRoot)
        self.groundTruthRoot = Self.trimmed(groundTruthRoot)
        self.forcedLayout = forcedLayout
        self.classLabels = Dictionary(classLabels.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, new in new })
        self.skipMissing = skipMissing
    }

    static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Detects the layout: PNGs directly in `--pred` -> single model; else sub-folders holding
    /// PNGs -> models; else sub-folders of sub-folders holding PNGs -> classes.
    public func detectLayout() throws(EvaluationError) -> LayoutKind {
        if let problem = FolderListing.notAFolder(predictionRoot) {
            throw EvaluationError("\(predictionRoot): prediction folder \(problem) (--pred)")
        }
        if let problem = FolderListing.notAFolder(groundTruthRoot) {
            throw EvaluationError("\(groundTruthRoot): ground-truth folder \(problem) (--gt)")
        }
        for (root, option) in [(predictionRoot, "--pred"), (groundTruthRoot, "--gt")] where FolderListing.entries(of: root) == nil {
            throw EvaluationError("\(root): cannot read the folder (permission denied?) (\(option))")
        }
        if let forcedLayout { return forcedLayout }
        if !FolderListing.pngFiles(in: predictionRoot).isEmpty { return .singleModel }
        let subfolders = FolderListing.subfolders(of: predictionRoot)
        let classFolders = subfolders.filter(holdsModelFolders)
        // A known class name (or one given with --class) holding model folders decides for the
        // class layout, even beside folders of PNGs (the authors' tree has `class_12/` there).
        if classFolders.contains(where: { label(forClass: $0) != nil }) { return .classes }
        if subfolders.contains(where: { !FolderListing.pngFiles(in: predictionRoot + "/" + $0).isEmpty }) { return .models }
        if !classFolders.isEmpty { return .classes }
        throw EvaluationError("\(predictionRoot): no PNG prediction maps found (looked in the folder, its sub-folders and theirs)"
                              + Self.jpegHint(in: [predictionRoot] + subfolders.map { predictionRoot + "/" + $0 }))
    }

    /// "; found JPEG files: a.jpg, … (maps must be PNG …)" when `folders` hold JPEGs, else "".
    /// Binary search in a byte-wise sorted list.
    static func sortedContains(_ sorted: [String], _ name: String) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if FolderListing.byteOrder(sorted[middle], name) { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == name
    }

    static func jpegHint(in folders: [String]) -> String {
        let jpegs = folders.flatMap { folder in
            (FolderListing.entries(of: folder) ?? []).filter { ["jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
                .map { folder == folders.first ? $0 : (folder as NSString).lastPathComponent + "/" + $0 }
        }
        guard !jpegs.isEmpty else { return "" }
        return "; found \(jpegs.count) JPEG file(s) (\(EvaluationError.list(jpegs, limit: 3))): prediction maps must be PNG, as the toolbox reads them (JPEG's lossy compression changes the levels every threshold counts)"
    }

    /// The jobs and the notes about the prediction tree as a whole.
    public struct Resolution: Sendable {
        public var jobs: [ModelJob]
        /// Notes about `--pred` itself (e.g. folders beside the class folders that were ignored),
        /// not about any one model.
        public var notes: [String]
    }

    /// Every model job: classes in label order (then byte-wise), models in byte-wise order.
    public func resolve() throws(EvaluationError) -> [ModelJob] {
        try resolution().jobs
    }

    /// `resolve()`, with the notes about the prediction tree.
    public func resolution() throws(EvaluationError) -> Resolution {
        let layout = try detectLayout()
        var jobs: [ModelJob] = []
        var ignoredFolders: [String] = []
        switch layout {
        case .singleModel:
            let name = (predictionRoot as NSString).lastPathComponent
            jobs.append(try job(model: name, folder: predictionRoot, className: nil, classLabel: nil, readsLabelMap: false,
                                groundTruthFolder: try binaryGroundTruthFolder()))
        case .models:
            let gtFolder = try binaryGroundTruthFolder()
            // Forced on a class tree, this layout would drop every class folder without a word.
            let classFolders = FolderListing.subfolders(of: predictionRoot).filter(holdsModelFolders)
            if !classFolders.isEmpty {
                throw EvaluationError("\(predictionRoot): \(EvaluationError.list(classFolders, limit: 3)) hold(s) folders of maps, not maps: a class tree, which --layout models would leave out; use --layout classes (or auto)")
            }
            for model in FolderListing.subfolders(of: predictionRoot) {
                let folder = predictionRoot + "/" + model
                guard !FolderListing.pngFiles(in: folder).isEmpty else { continue }
                jobs.append(try job(model: model, folder: folder, className: nil, classLabel: nil, readsLabelMap: false,
                                    groundTruthFolder: gtFolder))
            }
        case .classes:
            // Classes in label order (GGO = 1 before consolidation = 2, as in the paper).
            let classNames = FolderListing.subfolders(of: predictionRoot).sorted {
                (label(forClass: $0) ?? Int.max, $0) < (label(forClass: $1) ?? Int.max, $1)
            }
            for className in classNames {
                let classFolder = predictionRoot + "/" + className
                guard holdsModelFolders(className) else {
                    if !FolderListing.pngFiles(in: classFolder).isEmpty { ignoredFolders.append(className) }
                    continue
                }
                let models = FolderListing.subfolders(of: classFolder).filter {
                    !FolderListing.pngFiles(in: classFolder + "/" + $0).isEmpty
                }
                guard !models.isEmpty else { continue }
                guard let label = label(forClass: className) else {
                    throw EvaluationError("\(classFolder): unknown class folder '\(className)'; map it to a label with --class '\(className)=K' (known: Ground-glass opacities/GGO = 1, Consolidation = 2)")
                }
                let (gtFolder, isLabelMap) = try classGroundTruthFolder(label: label, className: className)
                for model in models {
                    jobs.append(try job(model: model, folder: classFolder + "/" + model, className: className, classLabel: label,
                                        readsLabelMap: isLabelMap, groundTruthFolder: gtFolder))
                }
            }
        }
        if jobs.isEmpty { throw EvaluationError("\(predictionRoot): no prediction maps found") }
        var notes: [String] = []
        if !ignoredFolders.isEmpty {
            notes.append("ignored folder(s) of PNGs beside the class folders (not a class): \(EvaluationError.list(ignoredFolders))")
        }
        return Resolution(jobs: jobs, notes: notes)
    }

    /// Whether `predictionRoot/name` holds at least one folder of PNGs.
    func holdsModelFolders(_ name: String) -> Bool {
        let folder = predictionRoot + "/" + name
        return FolderListing.subfolders(of: folder).contains { !FolderListing.pngFiles(in: folder + "/" + $0).isEmpty }
    }

    /// The label of a class folder: `--class` first, then the known names.
    func label(forClass name: String) -> Int? {
        classLabels[name.lowercased()] ?? Self.defaultClassLabels[name.lowercased()]
    }

    /// The folder holding binary GT files: `--gt` itself, or its `GT/` sub-folder.
    func binaryGroundTruthFolder() throws(EvaluationError) -> String {
        if !FolderListing.pngFiles(in: groundTruthRoot).isEmpty { return groundTruthRoot }
        let nested = groundTruthRoot + "/GT"
        if !FolderListing.pngFiles(in: nested).isEmpty { return nested }
        throw EvaluationError("\(groundTruthRoot): no ground-truth PNGs found (--gt)")
    }

    /// Class k comes from `GT-k/` when present, else from the label map `GT/` (or `--gt` itself).
    func classGroundTruthFolder(label: Int, className: String) throws(EvaluationError) -> (String, Bool) {
        let perClass = groundTruthRoot + "/GT-\(label)"
        if !FolderListing.pngFiles(in: perClass).isEmpty { return (perClass, false) }
        let labelMap = groundTruthRoot + "/GT"
        if !FolderListing.pngFiles(in: labelMap).isEmpty { return (labelMap, true) }
        if !FolderListing.pngFiles(in: groundTruthRoot).isEmpty { return (groundTruthRoot, true) }
        throw EvaluationError("\(groundTruthRoot): no ground truth for class '\(className)' (label \(label)): expected GT-\(label)/ or a label map GT/")
    }

    /// - Parameters:
    ///   - classLabel: the class's label (nil for single-class evaluation);
    ///   - readsLabelMap: the ground truths are label maps read as `== classLabel`, not binary masks.
    func job(model: String, folder: String, className: String?, classLabel: Int?, readsLabelMap: Bool,
             groundTruthFolder: String) throws(EvaluationError) -> ModelJob {
        let label = readsLabelMap ? classLabel : nil
        let predictions = FolderListing.pngFiles(in: folder)
        guard !predictions.isEmpty else {
            throw EvaluationError("\(folder): no PNG prediction maps in this folder" + Self.jpegHint(in: [folder]))
        }
        // Both lists are sorted byte-wise: exact names are found by binary search, and the stem
        // table is built only if some prediction needs it (no per-file hash tables: a million
        // pairs cost their own bytes).
        let gtFiles = FolderListing.pngFiles(in: groundTruthFolder)
        var gtByStem: [String: String]?
        func groundTruthName(for name: String) -> (name: String, byStem: Bool)? {
            if Self.sortedContains(gtFiles, name) { return (name, false) }
            if gtByStem == nil {
                var table: [String: String] = [:]
                for name in gtFiles { table[FolderListing.stem(name)] = name }   // the last of a stem wins
                gtByStem = table
            }
            return gtByStem![FolderListing.stem(name)].map { ($0, true) }
        }
        var pairs: [ImagePair] = []
        pairs.reserveCapacity(predictions.count)
        let folders = ImagePair.Folders(prediction: folder, groundTruth: groundTruthFolder, label: label)
        var missing: [String] = []
        var stemMatches: [String: String] = [:]   // GT name -> the prediction paired with it by stem
        for name in predictions {
            guard let (gtName, byStem) = groundTruthName(for: name) else { missing.append(name); continue }
            // `21.png` and `21.PNG` would both be scored against GT `21.png`: the slice twice. Exact
            // names are unique, so only a match by stem can collide (with the exact one or another).
            if byStem {
                let other = stemMatches[gtName] ?? (Self.sortedContains(predictions, gtName) ? gtName : nil)
                if let other {
                    let (first, second) = FolderListing.byteOrder(other, name) ? (other, name) : (name, other)
                    throw EvaluationError("\(folder): \(first) and \(second) would both be scored against the ground truth \(gtName), counting that slice twice; remove or rename one of them")
                }
                stemMatches[gtName] = name
            }
            pairs.append(ImagePair(name: name, groundTruthName: gtName, folders: folders))
        }
        if !missing.isEmpty && !skipMissing {
            throw EvaluationError("\(folder): \(missing.count) prediction(s) have no ground truth in \(groundTruthFolder): \(EvaluationError.list(missing)). Use --skip-missing to evaluate the rest.")
        }
        var notes: [String] = []
        let upperCase = predictions.filter { !$0.hasSuffix(".png") }
        if !upperCase.isEmpty {
            notes.append("\(upperCase.count) file(s) with an upper-case extension evaluated (the MATLAB toolbox lists only '*.png' and would skip them): \(EvaluationError.list(upperCase, limit: 5))")
        }
        return ModelJob(model: model, className: className, classLabel: classLabel, predictionFolder: folder,
                        pairs: pairs, skipped: missing, notes: notes)
    }
}
