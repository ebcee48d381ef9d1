extension StagedFiles {
    /// Runs `body` with files staged in the folder `path` (created if needed: `FolderCreation`),
    /// or in `fallback` when no path is given, or with nil when neither is. If `body` throws,
    /// everything staged is discarded and the folders created for `path` are removed again when
    /// empty; Ctrl-C removes those empty folders too. `body` commits what it wants kept.
    public static func staging<T>(into path: String?, orElse fallback: String? = nil, _ body: (StagedFiles?) throws -> T) throws -> T {
        let creation = try path.map { path throws(OutputError) in try FolderCreation.create(path) }
        if let creation { removeOnInterrupt(emptyFolders: creation.created) }
        let files = creation.map { StagedFiles(folder: $0.path) } ?? fallback.map { StagedFiles(folder: $0) }
        do {
            return try body(files)
        } catch {
            files?.discard()
            creation?.removeIfEmpty()
            throw error
        }
    }
}
