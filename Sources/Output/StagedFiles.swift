import Foundation

/// Files written all or nothing.
///
/// Each `stage` writes its bytes at once under a short hidden temporary name in the destination's
/// folder (so the work is not held in memory), and only `commit()` renames them all into place.
/// Until then no destination file is created or replaced; `discard()` — or releasing the value
/// without committing — removes the temporary files.
///
/// A destination that is a folder, or one staged twice (names compared ignoring letter case, as
/// macOS file systems do), is refused when staged, so the renames in `commit()` can only fail if a
/// folder changes underneath (then the error names the file, and the files renamed before it are
/// in place).
///
/// Interrupts: every temporary file is listed process-wide while it exists, and writing one,
/// committing, and `removeAllPending` (the CLI's Ctrl-C handler) exclude each other. So an
/// interrupt either comes before a commit (every temporary file is removed, no destination
/// touched) or after it (all in place); once `removeAllPending` has run nothing more is staged.
public final class StagedFiles {
    /// The folder that `stage(_:as:)` names are relative to.
    public let folder: String
    private var staged: [(temporary: String, destination: String)] = []
    private var keys: Set<String> = []
    private var streams: [StagedStream] = []
    private var scratchFiles: [String] = []

    public init(folder: String) {
        self.folder = folder
    }

    deinit { discard() }

    /// The destination paths staged so far, in order.
    public var destinations: [String] { staged.map(\.destination) }

    /// Stages `bytes` for `folder/name`.
    public func stage(_ bytes: [UInt8], as name: String) throws(OutputError) {
        try stage(bytes, atPath: (folder as NSString).appendingPathComponent(name))
    }

    /// Writes `bytes` to a temporary file beside `destination` that `commit()` renames to it.
    /// - Throws: `OutputError` naming the destination when it is a folder, was staged already, its
    ///   folder does not exist, its name is longer than a file name may be (checked here, so that
    ///   `commit` cannot fail on it half-way), or the temporary file cannot be written.
    public func stage(_ bytes: [UInt8], atPath destination: String) throws(OutputError) {
        let nameLength = (destination as NSString).lastPathComponent.utf8.count
        guard nameLength <= Self.maximumNameLength else {
            throw OutputError(path: destination, reason: .nameTooLong(nameLength))
        }
        let key = destination.lowercased()
        guard !keys.contains(key) else {
            throw OutputError(path: destination, reason: .writtenTwice)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputError(path: destination, reason: .isAFolder)
        }
        let folder = (destination as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(path: destination, reason: .folderMissing(folder))
        }
        let temporary = try Self.registry.create(in: folder, bytes: bytes, for: destination)
        staged.append((temporary, destination))
        keys.insert(key)
    }

    /// Stages `folder/name` to be written piece by piece (`StagedStream.write`): a file too large
    /// to build in memory (per_image.csv of a million images). Checked as `stage` checks; `commit`
    /// finishes every stream first.
    public func stageStream(as name: String) throws(OutputError) -> StagedStream {
        let destination = (folder as NSString).appendingPathComponent(name)
        try stage([], atPath: destination)
        let stream = try StagedStream(path: staged[staged.count - 1].temporary, naming: destination)
        streams.append(stream)
        return stream
    }

    /// A temporary file in `folder` that is never committed (a spool): removed by `discard`, by
    /// releasing this value and by `removeAllPending`.
    public func scratch() throws(OutputError) -> StagedStream {
        let name = ".segeval-scratch-\(staged.count + scratchFiles.count)"
        let destination = (folder as NSString).appendingPathComponent(name)
        let temporary = try Self.registry.create(in: folder, bytes: [], for: destination)
        scratchFiles.append(temporary)
        return try StagedStream(path: temporary, naming: destination)
    }

    /// The longest file name, in UTF-8 bytes, that Linux and macOS file systems take (NAME_MAX).
    public static let maximumNameLength = 255

    /// Renames every staged file into place, in staging order (uninterrupted by Ctrl-C).
    public func commit() throws(OutputError) {
        for stream in streams { try stream.finish() }
        streams.removeAll()
        for file in scratchFiles { Self.registry.remove(file) }
        scratchFiles.removeAll()
        let items = staged
        staged.removeAll()
        keys.removeAll()
        try Self.registry.renameAll(items)
    }

    /// Removes the temporary files of everything staged and not committed.
    public func discard() {
        for stream in streams { stream.abandon() }
        streams.removeAll()
        for file in scratchFiles { Self.registry.remove(file) }
        scratchFiles.removeAll()
        for item in staged { Self.registry.remove(item.temporary) }
        staged.removeAll()
        keys.removeAll()
    }

    /// Removes every temporary file of the process that was neither committed nor discarded, and
    /// refuses any later `stage`: for an interrupt handler, just before the process exits. Waits
    /// for a file being written or a commit in progress to finish.
    public static func removeAllPending() {
        registry.closeAndRemoveAll()
    }

    /// Folders that `removeAllPending` removes too, after the files, if they are empty by then
    /// (output folders a command created: `FolderCreation`).
    public static func removeOnInterrupt(emptyFolders: [String]) {
        registry.add(folders: emptyFolders)
    }

    private static let registry = Registry()
}

/// The process's temporary files, and the lock that keeps interrupts out of writes and commits.
private final class Registry: @unchecked Sendable {
    private var pending: Set<String> = []
    private var folders: [String] = []
    private var closed = false
    private var counter = 0
    private let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    private let lock = NSLock()

    /// Creates a new temporary file in `folder` holding `bytes` (`O_EXCL`: never an existing file).
    func create(in folder: String, bytes: [UInt8], for destination: String) throws(OutputError) -> String {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw OutputError(path: destination, reason: .interrupted) }
        counter += 1
        let temporary = (folder as NSString).appendingPathComponent(".segeval-\(token)-\(counter).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: destination, reason: .cannotWrite(String(cString: strerror(errno))))
        }
        pending.insert(temporary)
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let count = write(descriptor, raw.baseAddress! + written, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        if closeDescriptor(descriptor) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            pending.remove(temporary)
            throw OutputError(path: destination, reason: .cannotWrite(String(cString: strerror(failure))))
        }
        return temporary
    }

    func renameAll(_ items: [(temporary: String, destination: String)]) throws(OutputError) {
        lock.lock()
        defer { lock.unlock() }
        for (index, item) in items.enumerated() {
            guard rename(item.temporary, item.destination) == 0 else {
                let reason = String(cString: strerror(errno))
                for rest in items[index...] {
                    unlink(rest.temporary)
                    pending.remove(rest.temporary)
                }
                throw OutputError(path: item.destination, reason: .cannotReplace(reason))
            }
            pending.remove(item.temporary)
        }
    }

    func remove(_ temporary: String) {
        lock.lock()
        defer { lock.unlock() }
        if pending.remove(temporary) != nil { unlink(temporary) }
    }

    func add(folders: [String]) {
        lock.lock()
        defer { lock.unlock() }
        self.folders += folders
    }

    func closeAndRemoveAll() {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        for path in pending { unlink(path) }
        pending.removeAll()
        for folder in folders.reversed() { rmdir(folder) }   // only empty ones go
    }
}

/// `close(2)` (a free function, so the name does not resolve to a method).
private func closeDescriptor(_ descriptor: Int32) -> Int32 { close(descriptor) }
