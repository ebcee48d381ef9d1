import Dispatch
import Evaluation
import Foundation
import ImageIO

/// Writing a report's files: the PDF atomically (temporary file in the destination folder, then
/// rename, so a failure leaves no partial report), grid cells as PNGs.
public enum ReportWriter {
    /// Checks, before any work, that the PDF can be written at `path`.
    /// - Throws: `ReportError` for a missing folder or a path that is a folder.
    public static func checkDestination(_ path: String) throws(ReportError) {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        guard FolderListing.isDirectory(directory) else {
            throw ReportError("\(path): the folder \(directory) does not exist (--out); create it first")
        }
        guard !FolderListing.isDirectory(path) else {
            throw ReportError("\(path): is a folder; give a file name such as \(path)/report.pdf (--out)")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ReportError("\(path): the folder \(directory) is not writable (--out)")
        }
    }

    /// Writes the PDF atomically.
    public static func writePDF(_ bytes: [UInt8], to path: String) throws(ReportError) {
        try checkDestination(path)
        do throws(ImageError) {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw ReportError(error.description)
        }
    }

    /// The PNG file name of a grid cell: `<slice stem>_<column>.png`, with characters other than
    /// letters, digits, `-`, `_`, `.` and `+` replaced by `_`.
    public static func cellFileName(slice: String, column: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+")
        let clean = { (text: String) in String(text.map { allowed.contains($0) ? $0 : "_" }) }
        return clean(FolderListing.stem(slice)) + "_" + clean(column) + ".png"
    }

    /// Writes every cell that has an image as an RGB PNG into `folder` (created if needed).
    /// - Returns: the number of files written.
    public static func writeCells(_ rows: [GridRow], columns: GridColumns, to folder: String) throws(ReportError) -> Int {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError("\(folder): cannot create the folder (--png-dir): \(error.localizedDescription)")
        }
        let titles = columns.titles
        let jobs: [(String, RGBRaster)] = rows.flatMap { row in
            zip(titles, row.cells).compactMap { title, cell in
                cell.raster.map { (folder + "/" + cellFileName(slice: row.pick.name, column: title), $0) }
            }
        }
        let failures = Slots<String?>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let (path, raster) = jobs[index]
            let image = DecodedImage(width: raster.width, height: raster.height, bitDepth: 8, colorKind: .rgb, samples: .uint8(raster.pixels))
            do throws(ImageError) {
                try AtomicFile.write(try PNGCodec.encode(image, compressionLevel: 1), to: path)
                failures.set(index, nil)
            } catch {
                failures.set(index, error.description)
            }
        }
        let messages = failures.values().compactMap { $0 }
        if let first = messages.first {
            throw ReportError("cannot write grid cells (--png-dir): \(first)" + (messages.count > 1 ? " (and \(messages.count - 1) more)" : ""))
        }
        return jobs.count
    }
}
