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
        listing(of: folder).map { $0.map(\.name) }
    }

    /// Visible entries of `folder` with whether each is a folder (after links), byte-wise sorted;
    /// nil when the folder cannot be read. `readdir` directly: a million names cost their own
    /// bytes, not Foundation's bridged objects (measured: 470 bytes per file through
    /// `FileManager.contentsOfDirectory` and `fileExists`).
    static func listing(of folder: String) -> [(name: String, isFolder: Bool)]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var result: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let type = entry.pointee.d_type
            let isFolder: Bool
            if type == UInt8(DT_DIR) {
                isFolder = true
            } else if type == UInt8(DT_REG) || type == UInt8(DT_FIFO) {
                isFolder = false
            } else {
                // A link, or a file system that does not say: whatever the path leads to.
                var info = stat()
                isFolder = stat(folder + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            result.append((name, isFolder))
        }
        return result.sorted { byteOrder($0.name, $1.name) }
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
        (listing(of: folder) ?? []).compactMap { entry in
            hasPNGExtension(entry.name) && !entry.isFolder ? entry.name : nil
        }
    }

    /// `name` ends in `.png` in any letter case, after at least one character.
    static func hasPNGExtension(_ name: String) -> Bool {
        let bytes = Array(name.utf8.suffix(4))
        guard bytes.count == 4, name.utf8.count > 4, bytes[0] == UInt8(ascii: ".") else { return false }
        return bytes[1] | 0x20 == UInt8(ascii: "p") && bytes[2] | 0x20 == UInt8(ascii: "n") && bytes[3] | 0x20 == UInt8(ascii: "g")
    }

    /// Entries named `*.nii` or `*.nii.gz` (any letter case) directly in `folder` that are not
    /// folders, byte-wise sorted.
    public static func volumeFiles(in folder: String) -> [String] {
        (listing(of: folder) ?? []).compactMap { entry in
            !entry.isFolder && volumeStem(entry.name) != nil ? entry.name : nil
        }
    }

    /// The name without `.nii` or `.nii.gz` (`case_001.nii.gz`: `case_001`); nil for other names.
    public static func volumeStem(_ name: String) -> String? {
        let lowered = name.lowercased()
        for suffix in [".nii.gz", ".nii"] where lowered.hasSuffix(suffix) && lowered.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    /// Sub-folders of `folder`, byte-wise sorted.
    public static func subfolders(of folder: String) -> [String] {
        (listing(of: folder) ?? []).compactMap { $0.isFolder ? $0.name : nil }
    }

    /// The file name without folder and extension (`a/18.png` and `18.png`: `18`).
    public static func stem(_ name: String) -> String {
        ((name as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
