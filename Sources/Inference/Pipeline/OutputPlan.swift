import Files
import Foundation
import Output

/// The files `segeval predict` writes, decided before any slice is read: `<stem>.png` per slice,
/// plus `<stem>_aux0.png` ... `<stem>_aux4.png` with side outputs; with the per-class network,
/// `Ground-glass opacities/CoSupNet/<stem>.png` and `Consolidation/CoSupNet/<stem>.png` (the
/// published Results layout, which `segeval evaluate` reads as it is).
///
/// A plan is refused when two of its files would share a name (`a.png` and `a.jpg`, `A.png` and
/// `a.png`, or a slice named `18_aux0` beside slice `18`'s side outputs), or when one of them is
/// an input slice itself (`--out` pointing at the images folder): predict never replaces an input.
/// The output folder must exist (see `Predictor.run`) for the second check to see through every
/// path to it.
public struct OutputPlan: Sendable {
    /// The output folder.
    public let folder: String
    /// Per slice, in input order, its file names: the probability map first, then the side outputs.
    public let names: [[String]]

    /// Side outputs written per slice when asked for.
    public static let sideOutputCount = 5
    /// The per-class network's sub-folders, in the order of its class maps (GGO, consolidation):
    /// the class folders of the published Results, each holding the model's folder.
    public static let classFolders = ["Ground-glass opacities/CoSupNet", "Consolidation/CoSupNet"]

    /// CoSupNet's plan: maps (and side outputs), or with `classes` a map per class folder.
    public init(images: [String], folder: String, sideOutputs: Bool, classes: Bool = false) throws(InferenceError) {
        try self.init(images: images, folder: folder) { stem in
            classes ? Self.classFolders.map { "\($0)/\(stem).png" }
                : [stem + ".png"] + (sideOutputs ? (0..<Self.sideOutputCount).map { "\(stem)_aux\($0).png" } : [])
        }
    }

    /// The plan of files `names(stem)` per slice (paths relative to `folder`).
    public init(images: [String], folder: String, names outputNames: (String) -> [String]) throws(InferenceError) {
        // Keyed by the lower-cased name: `A.png` and `a.png` are one file on macOS.
        var source: [String: (image: String, name: String)] = [:]
        var names: [[String]] = []
        for image in images {
            let stem = FolderListing.stem(image)
            let own = outputNames(stem)
            for name in own {
                if let other = source[name.lowercased()] {
                    let written = other.name == name ? name : "\(other.name) and \(name), one file on macOS"
                    throw InferenceError("\(image) and \(other.image) would both be written as \(written); rename one of them")
                }
                source[name.lowercased()] = (image, name)
            }
            names.append(own)
            // Checked here, before any slice is read, not when a map is renamed into place.
            for name in own where (name as NSString).lastPathComponent.utf8.count > StagedFiles.maximumNameLength {
                let file = (name as NSString).lastPathComponent
                throw InferenceError("\(image): its output \(file) would be a file name of \(file.utf8.count) bytes, more than the \(StagedFiles.maximumNameLength) a file name may have; rename the slice")
            }
        }
        let inputs = Set(images.compactMap(FileIdentity.init(path:)))
        for (image, own) in zip(images, names) {
            for name in own {
                let target = (folder as NSString).appendingPathComponent(name)
                if let identity = FileIdentity(path: target), inputs.contains(identity) {
                    throw InferenceError("\(target): the map of \(image) would replace this input slice; choose another --out folder")
                }
            }
        }
        self.folder = folder
        self.names = names
    }

    /// The sub-folders the plan writes into (relative to `folder`), parents before children.
    public var subfolders: [String] {
        var folders = Set<String>()
        for name in names.joined() {
            var parent = (name as NSString).deletingLastPathComponent
            while !parent.isEmpty {
                folders.insert(parent)
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
        return folders.sorted()
    }

    /// The files already in the folder that the plan would replace and that segeval predict did
    /// not write (no `ProbabilityImage.software` mark), e.g. ground-truth masks given as --out.
    public func otherFilesToReplace() -> [String] {
        names.joined().map { (folder as NSString).appendingPathComponent($0) }.filter { path in
            var info = stat()
            return lstat(path, &info) == 0 && !ProbabilityImage.isSegevalMap(path: path)
        }
    }
}
