import Foundation

/// Writes one file atomically: a temporary file in the destination folder, then `rename(2)`
/// (a `StagedFiles` of one). A failure leaves the destination as it was (absent or with its old
/// content).
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(OutputError) {
        let staged = StagedFiles(folder: ".")
        try staged.stage(bytes, atPath: path)
        try staged.commit()
    }

    public static func write(_ text: String, to path: String) throws(OutputError) {
        try write(Array(text.utf8), to: path)
    }
}
