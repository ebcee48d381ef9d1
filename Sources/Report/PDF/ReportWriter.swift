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

    /// Writes every cell that has an image as an RGB PNG into `folder` (created if needed), all or
    /// nothing (`stageCells`, then commit).
    /// - Returns: the number of files written.
    public static func writeCells(_ rows: [GridRow], columns: GridColumns, to folder: String) throws(ReportError) -> Int {
        let staged = try stageCells(rows, columns: columns, in: folder)
        let count = staged.destinations.count
        do throws(ImageError) { try staged.commit() } catch { throw ReportError("cannot write grid cells (--png-dir): \(error.description)") }
        return count
    }

    /// Encodes every cell that has an image as an RGB PNG and stages it in `folder` (created if
    /// needed) under `cellFileName`, made unique in grid order with `_2`, `_3`, ... when two cells
    /// would share a name (models called `CT`, or `U Net` beside `U_Net`). Nothing is in place
    /// until the caller commits.
    public static func stageCells(_ rows: [GridRow], columns: GridColumns, in folder: String) throws(ReportError) -> StagedFiles {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError("\(folder): cannot create the folder (--png-dir): \(error.localizedDescription)")
        }
        let titles = columns.titles
        let cells: [(name: String, raster: RGBRaster)] = rows.flatMap { row in
            zip(titles, row.cells).compactMap { title, cell in
                cell.raster.map { (cellFileName(slice: row.pick.name, column: title), $0) }
            }
        }
        let names = uniqueNames(cells.map(\.name))
        let encoded = Slots<Result<[UInt8], ImageError>>(count: cells.count)
        DispatchQueue.concurrentPerform(iterations: cells.count) { index in
            let raster = cells[index].raster
            let image = DecodedImage(width: raster.width, height: raster.height, bitDepth: 8, colorKind: .rgb, samples: .uint8(raster.pixels))
            encoded.set(index, Result { () throws(ImageError) in try PNGCodec.encode(image, compressionLevel: 1) })
        }
        let staged = StagedFiles(folder: folder)
        for (name, result) in zip(names, encoded.values()) {
            do throws(ImageError) {
                try staged.stage(try result.get(), as: name)
            } catch {
                throw ReportError("cannot write grid cells (--png-dir): \(error.description)")
            }
        }
        return staged
    }

    /// `names` with repeats renamed `<stem>_2.png`, `<stem>_3.png`, ... (first come keeps its name).
    static func uniqueNames(_ names: [String]) -> [String] {
        var taken = Set(names)
        var seen: Set<String> = []
        return names.map { name in
            guard seen.contains(name) else { seen.insert(name); return name }
            let stem = FolderListing.stem(name)
            var suffix = 2
            while taken.contains("\(stem)_\(suffix).png") { suffix += 1 }
            let unique = "\(stem)_\(suffix).png"
            taken.insert(unique)
            return unique
        }
    }
}
