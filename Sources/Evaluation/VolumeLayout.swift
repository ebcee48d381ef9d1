import Files

/// Which volumes are compared: NIfTI files (`.nii`, `.nii.gz`) paired by name without the
/// extension, as nnU-Net and MONAI write them (`--pred` = nnU-Net's output folder, `--gt` =
/// `labelsTr` or `labelsTs`; the other files nnU-Net writes beside, such as `plans.json`, are not
/// volumes and are passed over).
///
/// `--pred` holding volumes is one model, named after the folder; `--pred` holding folders of
/// volumes is one model per folder (byte-wise order).
public struct VolumeLayout: Sendable {
    /// One GT volume and each model's prediction of it (nil: that model has none).
    public struct Case: Sendable {
        public var name: String
        public var groundTruth: String
        public var predictions: [String?]
    }

    public var models: [String]
    /// Cases with at least one prediction, byte-wise by name.
    public var cases: [Case]
    /// What a user should know: GT volumes a model has no prediction for, predictions skipped.
    public var warnings: [String]

    /// Whether `folder` holds volumes, directly or one folder down (the layout to use).
    public static func holdsVolumes(_ folder: String) -> Bool {
        if !FolderListing.volumeFiles(in: folder).isEmpty { return true }
        return FolderListing.subfolders(of: folder).contains { !FolderListing.volumeFiles(in: folder + "/" + $0).isEmpty }
    }

    /// - Throws: `EvaluationError` when a prediction has no GT (unless `skipMissing`), or nothing pairs.
    public static func resolve(predictionRoot: String, groundTruthRoot: String, skipMissing: Bool) throws -> VolumeLayout {
        if let problem = FolderListing.notAFolder(predictionRoot) { throw EvaluationError("--pred \(predictionRoot): \(problem)") }
        if let problem = FolderListing.notAFolder(groundTruthRoot) { throw EvaluationError("--gt \(groundTruthRoot): \(problem)") }
        var modelFolders: [(name: String, folder: String)]
        if !FolderListing.volumeFiles(in: predictionRoot).isEmpty {
            let trimmed = predictionRoot.hasSuffix("/") ? String(predictionRoot.dropLast()) : predictionRoot
            modelFolders = [(String(trimmed.split(separator: "/").last ?? Substring(trimmed)), predictionRoot)]
        } else {
            modelFolders = FolderListing.subfolders(of: predictionRoot).map { ($0, predictionRoot + "/" + $0) }
                .filter { !FolderListing.volumeFiles(in: $0.folder).isEmpty }
        }
        guard !modelFolders.isEmpty else { throw EvaluationError("--pred \(predictionRoot): no .nii or .nii.gz volumes in it or in its folders") }
        let groundTruths = FolderListing.volumeFiles(in: groundTruthRoot)
        guard !groundTruths.isEmpty else { throw EvaluationError("--gt \(groundTruthRoot): no .nii or .nii.gz volumes in it") }
        var byName: [String: String] = [:]
        for file in groundTruths {
            let stem = FolderListing.volumeStem(file)!
            if let other = byName[stem] { throw EvaluationError("--gt \(groundTruthRoot): both \(other) and \(file) are volume \(stem); keep one") }
            byName[stem] = file
        }
        var predictions: [[String: String]] = []
        var warnings: [String] = []
        for (model, folder) in modelFolders {
            var found: [String: String] = [:]
            var unmatched: [String] = []
            for file in FolderListing.volumeFiles(in: folder) {
                let stem = FolderListing.volumeStem(file)!
                if let other = found[stem] { throw EvaluationError("\(folder): both \(other) and \(file) are volume \(stem); keep one") }
                if byName[stem] == nil { unmatched.append(file) } else { found[stem] = folder + "/" + file }
            }
            if !unmatched.isEmpty {
                let listed = unmatched.prefix(5).joined(separator: ", ") + (unmatched.count > 5 ? ", ..." : "")
                guard skipMissing else {
                    throw EvaluationError("\(folder): \(unmatched.count) prediction(s) without a GT volume of the same name in \(groundTruthRoot): \(listed) (pass --skip-missing to evaluate the others)")
                }
                warnings.append("\(model): skipped \(unmatched.count) prediction(s) without a GT volume: \(listed)")
            }
            predictions.append(found)
        }
        var cases: [Case] = []
        for stem in byName.keys.sorted(by: FolderListing.byteOrder) {
            let row = predictions.map { $0[stem] }
            guard row.contains(where: { $0 != nil }) else { continue }
            cases.append(Case(name: stem, groundTruth: groundTruthRoot + "/" + byName[stem]!, predictions: row))
        }
        guard !cases.isEmpty else { throw EvaluationError("no prediction in \(predictionRoot) has a GT volume of the same name in \(groundTruthRoot)") }
        for (index, model) in modelFolders.enumerated() {
            let missing = byName.count - predictions[index].count
            if missing > 0 {
                warnings.append("\(model.name) has no prediction for \(missing) of the \(byName.count) GT volumes: its means are over \(predictions[index].count) volumes\(modelFolders.count > 1 ? ", not comparable with the other models'" : "")")
            }
        }
        return VolumeLayout(models: modelFolders.map(\.name), cases: cases, warnings: warnings)
    }
}
