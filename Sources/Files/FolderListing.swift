import Foundation

/// Folder listings in MATLAB `dir` order: plain byte-wise order of the UTF-8 names
/// (`18.png, 21.png, ..., 59.png, 6.png, 60.png`).
public enum FolderListing {
    /// Byte-wise comparison of two names.
    public static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Visible entries of `folder`, sorted byte-wise; nil when the folder cannot be read.
    public static func entries(of folder: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.filter { !$0.hasPrefix(".") }.sorted(by: byteOrder)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Why `path` is not a folder, in a few words ("not found", "is a file, not a folder", …), or
    /// nil when it is one (after links).
    public static func notAFolder(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return nil
            case S_IFREG: return "is a file, not a folder"
            default: return "is not a folder"
            }
        }
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK { return "is a broken link (its target does not exist)" }
        return "not found"
    }

    /// Entries named `*.png` (any case of the extension) directly in `folder` that are not
    /// folders, byte-wise sorted. Broken links and FIFOs are listed too, so that reading them
    /// names them (`RegularFile`) instead of skipping them without a word.
    public static func pngFiles(in folder: String) -> [String] {
        (entries(of: folder) ?? []).filter { name in
            (name as NSString).pathExtension.lowercased() == "png" && !isDirectory(folder + "/" + name)
        }
    }

    /// Sub-folders of `folder`, byte-wise sorted.
    public static func subfolders(of folder: String) -> [String] {
        (entries(of: folder) ?? []).filter { isDirectory(folder + "/" + $0) }
    }

    /// The file name without folder and extension (`a/18.png` and `18.png`: `18`).
    public static func stem(_ name: String) -> String {
        ((name as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
