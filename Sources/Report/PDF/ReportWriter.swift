import Dispatch
import Evaluation
import Files
import Foundation
import ImageIO
import Output

/// Writing a report's files: the PDF atomically (temporary file in the destination folder, then
/// rename, so a failure leaves no partial report), grid cells as PNGs.
public enum ReportWriter {
    /// Checks, before any work, that the PDF can be written at `path`.
    /// - Throws: `ReportError` for a missing folder or a path that is a folder.
    public static func checkDestination(_ path: String) throws(ReportError) {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        if let problem = FolderListing.notAFolder(directory) {
            throw ReportError(problem == "not found" ? "\(path): the folder \(directory) does not exist (--out); create it first"
                                                     : "\(path): \(directory) \(problem) (--out)")
        }
        guard !FolderListing.isDirectory(path) else {
            throw ReportError("\(path): is a folder; give a file name such as \(path)/report.pdf (--out)")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ReportError("\(path): the folder \(directory) is not writable (--out)")
        }
    }

    /// Writes the PDF atomically (a `ReportFiles` of the PDF alone).
    public static func writePDF(_ bytes: [UInt8], to path: String) throws(ReportError) {
        try ReportFiles(pdfPath: path).commit(pdf: bytes)
    }

    /// Stages the PDF in `staged`, to be put in place by its commit (with the grid cells).
    public static func stagePDF(_ bytes: [UInt8], to path: String, in staged: StagedFiles) throws(ReportError) {
        try checkDestination(path)
        do throws(OutputError) { try staged.stage(bytes, atPath: path) } catch { throw ReportError(error.description) }
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
        let creation = try createCellFolder(folder)
        let staged = StagedFiles(folder: creation.path)
        let count = try stageCells(rows, columns: columns, in: creation.path, into: staged)
        do throws(OutputError) { try staged.commit() } catch { throw ReportError("cannot write grid cells (--png-dir): \(error.description)") }
        return count
    }

    /// Creates the grid-cell folder (`--png-dir`) if needed.
    static func createCellFolder(_ folder: String) throws(ReportError) -> FolderCreation {
        do throws(OutputError) { return try FolderCreation.create(folder) } catch { throw ReportError("\(error.description) (--png-dir)") }
    }

    /// Encodes every cell that has an image as an RGB PNG and stages it in `staged` for the
    /// existing `folder`, under `cellFileName`, made unique in grid order with `_2`, `_3`, ... when
    /// two cells would share a name (models called `CT`, or `U Net` beside `U_Net`). Nothing is in
    /// place until the caller commits.
    /// - Returns: the number of cells staged.
    public static func stageCells(_ rows: [GridRow], columns: GridColumns, in folder: String, into staged: StagedFiles) throws(ReportError) -> Int {
        let titles = columns.titles
        let cells: [(name: String, raster: RGBRaster)] = rows.flatMap { row in
            zip(titles, row.cells).compactMap { title, cell in
                cell.raster.map { (cellFileName(slice: row.pick.name, column: title), $0) }
            }
        }
        let names = uniqueNames(cells.map(\.name))
        let encoded = parallelMap(count: cells.count) { index -> Result<[UInt8], FileError> in
            let raster = cells[index].raster
            let image = DecodedImage(width: raster.width, height: raster.height, bitDepth: 8, colorKind: .rgb, samples: .uint8(raster.pixels))
            return Result { () throws(FileError) in try PNGCodec.encode(image, compressionLevel: 1) }
        }
        for (name, result) in zip(names, encoded) {
            let bytes: [UInt8]
            do throws(FileError) { bytes = try result.get() } catch { throw ReportError("cannot encode grid cells (--png-dir): \(error.description)") }
            do throws(OutputError) {
                try staged.stage(bytes, atPath: (folder as NSString).appendingPathComponent(name))
            } catch {
                throw ReportError("cannot write grid cells (--png-dir): \(error.description)")
            }
        }
        return cells.count
    }

    /// `names` with repeats renamed `<stem>_2.png`, `<stem>_3.png`, ... (first come keeps its name).
    /// Names are compared ignoring letter case (one file on macOS).
    static func uniqueNames(_ names: [String]) -> [String] {
        var taken = Set(names.map { $0.lowercased() })
        var seen: Set<String> = []
        return names.map { name in
            guard seen.contains(name.lowercased()) else { seen.insert(name.lowercased()); return name }
            let stem = FolderListing.stem(name)
            var suffix = 2
            while taken.contains("\(stem)_\(suffix).png".lowercased()) { suffix += 1 }
            let unique = "\(stem)_\(suffix).png"
            taken.insert(unique.lowercased())
            return unique
        }
    }
}
