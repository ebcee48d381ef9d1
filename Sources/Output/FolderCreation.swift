import Foundation

/// An output folder created for a command, with what it took to create it, so that a command
/// that fails can leave the file system as it found it (`removeIfEmpty`).
public struct FolderCreation: Sendable {
    /// The folders that did not exist and were created, outermost first.
    public let created: [String]
    /// Where the folder is: the path given when it now leads there, else `resolved(path)` (a path
    /// such as `new/../maps` only leads there once `new` exists, and `new` is not created).
    public let path: String

    /// Creates `path` and any missing parents.
    /// - Throws: `OutputError` naming `path` when it exists and is not a folder, or cannot be created.
    public static func create(_ path: String) throws(OutputError) -> FolderCreation {
        let target = resolved(path)
        var missing: [String] = []
        var current = target
        while current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.insert(current, at: 0)
            current = (current as NSString).deletingLastPathComponent
        }
        var isDirectory: ObjCBool = false
        if missing.isEmpty, FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw OutputError(path: path, reason: .notAFolder)
        }
        // The deepest part that exists must be a folder: `notes.txt/out` names a file.
        if !missing.isEmpty, current != "/", FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw OutputError(path: path, reason: .cannotCreateFolder("\(current) is a file, not a folder"))
        }
        // mkdir itself, outermost first, so that a failure gives the system's own words.
        for (index, folder) in missing.enumerated() where mkdir(folder, 0o777) != 0 && errno != EEXIST {
            let reason = String(cString: strerror(errno))
            for created in missing[..<index].reversed() { rmdir(created) }
            throw OutputError(path: path, reason: .cannotCreateFolder("\(folder): \(reason)"))
        }
        StagedFiles.removeOnInterrupt(emptyFolders: missing)
        return FolderCreation(created: missing, path: FileManager.default.fileExists(atPath: path) ? path : target)
    }

    /// `path` as the kernel will resolve it once its missing folders exist: the longest prefix
    /// that exists with its links resolved, then the rest with `.` and `..` applied by name
    /// (`new/../Imgs` is `Imgs`, whether or not `new` exists yet).
    public static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let components = (absolute as NSString).pathComponents
        var existing = components.count
        while existing > 1, !FileManager.default.fileExists(atPath: NSString.path(withComponents: Array(components.prefix(existing)))) {
            existing -= 1
        }
        var result = URL(fileURLWithPath: NSString.path(withComponents: Array(components.prefix(existing))))
            .resolvingSymlinksInPath().path
        for component in components[existing...] where component != "." {
            result = component == ".." ? (result as NSString).deletingLastPathComponent : (result as NSString).appendingPathComponent(component)
        }
        return result
    }

    /// Removes the created folders that are still empty, deepest first (`rmdir` leaves any that
    /// holds something).
    public func removeIfEmpty() {
        for folder in created.reversed() where rmdir(folder) != 0 { return }
    }
}
