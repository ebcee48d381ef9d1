import Foundation

/// Files written into one folder all or nothing.
///
/// Each `stage` writes its bytes at once under a hidden temporary name in the destination folder
/// (so the work is not held in memory), and only `commit()` renames them all into place. Until
/// then no destination file is created or replaced; `discard()` — or releasing the value without
/// committing — removes the temporary files.
///
/// A destination that is a folder is refused when staged, so the renames in `commit()` can only
/// fail if the folder changes underneath (then the error names the file, and the files renamed
/// before it are in place).
///
/// Every temporary file also sits in a process-wide list until it is renamed or removed, so that
/// an interrupted command can remove them (`removeAllPending`, called on Ctrl-C by the CLI).
public final class StagedFiles {
    /// The destination folder; it must exist.
    public let folder: String
    private let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    private var staged: [(temporary: String, destination: String)] = []
    private var names: Set<String> = []

    public init(folder: String) {
        self.folder = folder
    }

    deinit { discard() }

    /// The destination paths staged so far, in order.
    public var destinations: [String] { staged.map(\.destination) }

    /// Writes `bytes` to a temporary file that `commit()` renames to `folder/name`.
    /// - Throws: `ImageError` naming the destination when it is a folder, was staged already, or
    ///   the temporary file cannot be written.
    public func stage(_ bytes: [UInt8], as name: String) throws(ImageError) {
        let destination = (folder as NSString).appendingPathComponent(name)
        guard !names.contains(name) else {
            throw ImageError(path: destination, reason: "would be written twice")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ImageError(path: destination, reason: "is a folder; cannot write a file there")
        }
        let temporary = (folder as NSString).appendingPathComponent(".\(name).tmp-\(token)")
        Self.pending.insert(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            Self.pending.remove(temporary)
            var isFolder: ObjCBool = false
            let reason = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue
                ? "cannot write (permission denied or disk full?)" : "the folder \(folder) does not exist"
            throw ImageError(path: destination, reason: reason)
        }
        staged.append((temporary, destination))
        names.insert(name)
    }

    /// Renames every staged file into place, in staging order.
    public func commit() throws(ImageError) {
        for (index, item) in staged.enumerated() {
            guard rename(item.temporary, item.destination) == 0 else {
                let reason = String(cString: strerror(errno))
                staged.removeFirst(index)
                discard()
                throw ImageError(path: item.destination, reason: "cannot replace file: \(reason)")
            }
            Self.pending.remove(item.temporary)
        }
        staged.removeAll()
        names.removeAll()
    }

    /// Removes the temporary files of everything staged and not committed.
    public func discard() {
        for item in staged {
            unlink(item.temporary)
            Self.pending.remove(item.temporary)
        }
        staged.removeAll()
        names.removeAll()
    }

    /// Removes the temporary files of every `StagedFiles` of the process that were neither
    /// committed nor discarded (for an interrupt handler: the process is about to exit).
    public static func removeAllPending() {
        for path in pending.drain() { unlink(path) }
    }

    private static let pending = PendingPaths()
}

/// The temporary files staged and not yet renamed or removed, across the process.
private final class PendingPaths: @unchecked Sendable {
    private var paths: Set<String> = []
    private let lock = NSLock()

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    func drain() -> Set<String> {
        lock.withLock {
            defer { paths.removeAll() }
            return paths
        }
    }
}
