import Foundation
import ImageIO

/// Writes a set of report files into a folder, all or nothing (`StagedFiles`): every file is first
/// written to a temporary name in that folder, and only when all are written are they renamed into
/// place.
public struct OutputFolder {
    public var path: String

    public init(path: String) { self.path = path }

    /// - Throws: `ImageError` naming the folder or file (for example a destination that is a
    ///   folder); on failure no destination file is touched.
    public func write(_ files: [(name: String, contents: String)], createFolder: Bool = true) throws(ImageError) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard createFolder else { throw ImageError(path: path, reason: "output folder does not exist") }
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw ImageError(path: path, reason: "cannot create output folder (\(error.localizedDescription))")
            }
        } else if !isDirectory.boolValue {
            throw ImageError(path: path, reason: "exists and is not a folder")
        }
        let batch = StagedFiles(folder: path)
        for file in files { try batch.stage(Array(file.contents.utf8), as: file.name) }
        try batch.commit()
    }
}
