import ArgumentParser
import Foundation

/// Where `segeval predict` gets its weights: `--weights FILE`, or else the default CoSupNet
/// weights shipped in the repository's `models/` folder (trained by `tools/train_cosup.py`; see
/// `models/README.md`).
enum PredictWeights {
    /// The file name of the shipped default weights.
    static let defaultFileName = "cosupnet-w32.safetensors"
    /// The file name of the shipped per-class weights (`predict --classes`).
    static let defaultClassesFileName = "cosupnet-classes-w32.safetensors"

    /// The weights file to use, or a usage error explaining how to give one.
    ///
    /// Without `--weights`, the default file is looked for, in this order, in:
    /// 1. `$SEGEVAL_MODELS` (a folder), when set;
    /// 2. `share/segeval/` beside the executable's folder (an installed `bin/segeval`);
    /// 3. `models/` of the first folder above the executable that has one (a build inside a
    ///    clone: `.build/release/segeval`);
    /// 4. `models/` of the clone this binary was compiled from.
    static func resolve(_ explicit: String?, fileName: String = defaultFileName) throws -> String {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw ValidationError("\(explicit): no such weights file")
            }
            return explicit
        }
        let candidates = defaultCandidates(fileName: fileName)
        if let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) {
            return found
        }
        throw ValidationError("""
            the default weights (\(fileName)) were not found; looked in:
            \(candidates.map { "  " + $0 }.joined(separator: "\n"))
            give the network weights with --weights FILE (.pth or .safetensors), or set SEGEVAL_MODELS \
            to the folder that holds \(fileName)
            """)
    }

    /// The places the default file may be, most specific first.
    static func defaultCandidates(
        fileName: String = defaultFileName,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        sourceFile: String = #filePath
    ) -> [String] {
        var folders: [URL] = []
        if let models = environment["SEGEVAL_MODELS"], !models.isEmpty {
            folders.append(URL(fileURLWithPath: models, isDirectory: true))
        }
        if let executable {
            let binFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            folders.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/segeval", isDirectory: true))
            var folder = binFolder
            for _ in 0..<6 {
                let models = folder.appendingPathComponent("models", isDirectory: true)
                if FileManager.default.fileExists(atPath: models.appendingPathComponent(fileName).path) {
                    folders.append(models)
                    break
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        // Sources/segeval/PredictWeights.swift -> the clone's root.
        let cloneRoot = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(cloneRoot.appendingPathComponent("models", isDirectory: true))
        var seen = Set<String>()
        return folders.map { $0.appendingPathComponent(fileName).standardizedFileURL.path }
            .filter { seen.insert($0).inserted }
    }
}
