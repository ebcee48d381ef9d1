import Foundation
import ImageIO

/// Writes a set of report files into a folder, all or nothing: every file is first written to a
/// temporary name in that folder, and only when all are written are they renamed into place.
public struct OutputFolder {
    public var path: String

    public init(path: String) { self.path = path }

    /// - Throws: `ImageError` naming the folder or file; on failure no destination file is touched.
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
        var staged: [(temporary: String, final: String)] = []
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for file in files {
            let temporary = path + "/.\(file.name).tmp-\(token)"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(file.contents.utf8)) else {
                for item in staged { unlink(item.temporary) }
                throw ImageError(path: path + "/" + file.name, reason: "cannot write (permission denied or disk full?)")
            }
            staged.append((temporary, path + "/" + file.name))
        }
        for item in staged where rename(item.temporary, item.final) != 0 {
            let reason = String(cString: strerror(errno))
            for other in staged { unlink(other.temporary) }
            throw ImageError(path: item.final, reason: "cannot replace file: \(reason)")
        }
    }
}
