import Foundation

/// What a command reads, which none of its outputs may replace or be written into: the rule
/// every command follows is that an output is neither an input file nor inside an input folder.
///
/// Paths are compared by device and inode (`FileIdentity`), never by spelling, so neither
/// `Imgs/../Imgs/.`, a link, an absolute path nor letter case on a case-insensitive volume gets
/// round it. An output that does not exist yet is placed where the kernel will put it
/// (`FolderCreation.resolved`: links in its existing part resolved, `.` and `..` applied after),
/// and every folder above it is checked, so a folder to be created inside an input folder is
/// refused before anything is created.
public struct ProtectedInputs: Sendable {
    /// One input: how the user named it (the option and the path) and what it is on disk.
    struct Input: Sendable {
        var option: String
        var path: String
        var isFolder: Bool
        var identity: FileIdentity

        var description: String { "\(option) \(isFolder ? "folder" : "file") \(path)" }
    }

    private var inputs: [Input] = []

    public init() {}

    /// Protects the file or folder at `path`, given with `option` (`--gt`, `--images`, …), as it
    /// is on disk now; nothing is added when nothing exists there (its reader will say so).
    public mutating func add(_ path: String, option: String) {
        guard let identity = FileIdentity(path: path) else { return }
        inputs.append(Input(option: option, path: path, isFolder: FileIdentity.isFolder(path), identity: identity))
    }

    /// Checks one output, a file to write or a folder to create or write into.
    /// - Throws: `OutputError` naming `output` and the input it would touch: `.isAnInput` when it
    ///   is an input file or folder, `.insideAnInput` when an input folder holds it at any depth.
    public func check(_ output: String) throws(OutputError) {
        let target = FolderCreation.resolved(output)
        if let identity = FileIdentity(path: target), let input = inputs.first(where: { $0.identity == identity }) {
            throw OutputError(path: output, reason: .isAnInput(input.description))
        }
        var folder = target
        while folder != "/" {
            folder = (folder as NSString).deletingLastPathComponent
            if let identity = FileIdentity(path: folder),
               let input = inputs.first(where: { $0.isFolder && $0.identity == identity }) {
                throw OutputError(path: output, reason: .insideAnInput(input.description))
            }
        }
    }
}

/// A file's device and inode: the same file whatever path, link or letter case names it.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    /// The identity of what `path` leads to (links followed); nil when nothing exists there.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// Whether `path` leads to a folder (links followed).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
