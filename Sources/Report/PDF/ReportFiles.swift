import Output

/// A report's files as one transaction: the PDF and, optionally, every grid cell as a PNG in a
/// cell folder, staged as they are made and put in place by one `commit`. Until then nothing is
/// written; dropped without a commit (a failure, an early exit), it discards what was staged and
/// removes a cell folder it created if that is still empty.
public final class ReportFiles {
    private let pdfPath: String
    private let staged = StagedFiles(folder: ".")
    private var cellFolder: FolderCreation?
    private var committed = false
    /// The grid cells staged so far.
    public private(set) var cellCount = 0

    /// Checks, before any work, that the PDF can be written at `pdfPath` (`ReportWriter.checkDestination`).
    public init(pdfPath: String) throws(ReportError) {
        try ReportWriter.checkDestination(pdfPath)
        self.pdfPath = pdfPath
    }

    deinit {
        if !committed {
            staged.discard()
            cellFolder?.removeIfEmpty()
        }
    }

    /// Creates `folder` if needed and stages every grid cell that has an image there
    /// (`ReportWriter.stageCells`).
    public func stageCells(_ rows: [GridRow], columns: GridColumns, in folder: String) throws(ReportError) {
        let creation = try ReportWriter.createCellFolder(folder)
        cellFolder = creation
        cellCount += try ReportWriter.stageCells(rows, columns: columns, in: creation.path, into: staged)
    }

    /// Stages the PDF and puts every staged file in place.
    public func commit(pdf: [UInt8]) throws(ReportError) {
        try ReportWriter.stagePDF(pdf, to: pdfPath, in: staged)
        do throws(OutputError) { try staged.commit() } catch { throw ReportError(error.description) }
        committed = true
    }
}
