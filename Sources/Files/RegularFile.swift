import Foundation

/// The one kind of file segeval reads: a regular file, after links. Anything else is named
/// instead of read: opening a FIFO named `18.png` would wait for a writer forever, and a link
/// whose target is gone would otherwise look like a file that is not there.
public enum RegularFile {
    /// - Throws: `FileError` naming `path` when nothing is there, it is a broken or looping link,
    ///   a folder, or not a regular file (a FIFO, socket or device).
    public static func check(_ path: String) throws(FileError) {
        var info = stat()
        if stat(path, &info) != 0 {
            let error = errno
            var link = stat()
            let isLink = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            switch error {
            case ELOOP: throw FileError(path: path, reason: "a link that loops back on itself; segeval reads only regular files")
            case ENOENT where isLink: throw FileError(path: path, reason: "a broken link (its target does not exist)")
            case ENOENT, ENOTDIR: throw FileError(path: path, reason: "no such file")
            case EACCES: throw FileError(path: path, reason: "permission denied")
            default: throw FileError(path: path, reason: "cannot open file (\(String(cString: strerror(error))))")
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw FileError(path: path, reason: "a folder, not a file")
        case S_IFIFO: throw FileError(path: path, reason: "a FIFO (named pipe), not a regular file; segeval reads only regular files")
        case S_IFSOCK: throw FileError(path: path, reason: "a socket, not a regular file; segeval reads only regular files")
        default: throw FileError(path: path, reason: "a device, not a regular file; segeval reads only regular files")
        }
    }
}
