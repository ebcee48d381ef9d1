import Foundation
import Output

/// Writes a set of report files into a folder, all or nothing (`StagedFiles`): every file is first
/// written to a temporary name in that folder, and only when all are written are they renamed into
/// place.
public struct OutputFolder {
    public var path: String

    public init(path: String) { self.path = path }

    /// Creates the folder if needed (`FolderCreation`) and writes `files` into it.
    /// - Throws: `OutputError` naming the folder or file (for example a destination that is a
    ///   folder); on failure no destination file is touched.
    public func write(_ files: [(name: String, contents: String)]) throws(OutputError) {
        let batch = StagedFiles(folder: try FolderCreation.create(path).path)
        for file in files { try batch.stage(Array(file.contents.utf8), as: file.name) }
        try batch.commit()
    }
}
