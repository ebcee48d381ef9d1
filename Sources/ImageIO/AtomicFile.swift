import Foundation

/// Writes files atomically: a temporary file in the destination folder, then `rename(2)`.
/// A failure leaves the destination as it was (absent or with its old content).
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageError(path: path, reason: "the folder \(folder) does not exist")
        }
        let temporary = folder + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let data = Data(bytes)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw ImageError(path: path, reason: "cannot write (permission denied or disk full?)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ImageError(path: path, reason: "cannot replace file: \(reason)")
        }
    }

    public static func write(_ text: String, to path: String) throws(ImageError) {
        try write(Array(text.utf8), to: path)
    }
}
