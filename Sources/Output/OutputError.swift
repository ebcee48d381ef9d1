/// Why an output (a file or folder a command writes) could not be written. Names the path.
public struct OutputError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The path exists and is not a folder (where a folder was wanted).
        case notAFolder
        /// The folder could not be created; the system's words.
        case cannotCreateFolder(String)
        /// Two outputs of one commit are one file (names that differ only in letter case on macOS).
        case writtenTwice
        /// The destination is a folder.
        case isAFolder
        /// The destination's folder does not exist.
        case folderMissing(String)
        /// Ctrl-C or SIGTERM came first.
        case interrupted
        /// Writing the temporary file failed; the system's words.
        case cannotWrite(String)
        /// Renaming the temporary file into place failed; the system's words.
        case cannotReplace(String)
        /// The file name is longer (in UTF-8 bytes) than a file system takes.
        case nameTooLong(Int)
        /// The output is one of the command's inputs (described: option, kind and path).
        case isAnInput(String)
        /// The output lies inside one of the command's input folders (described).
        case insideAnInput(String)

        public var description: String {
            switch self {
            case .notAFolder: "exists and is not a folder"
            case .cannotCreateFolder(let why): "cannot create the folder (\(why))"
            case .writtenTwice: "would be written twice (names that differ only in letter case are one file on macOS)"
            case .isAFolder: "is a folder; cannot write a file there"
            case .folderMissing(let folder): "the folder \(folder) does not exist"
            case .interrupted: "not written: interrupted"
            case .cannotWrite(let why): "cannot write: \(why)"
            case .cannotReplace(let why): "cannot replace file: \(why)"
            case .nameTooLong(let bytes): "the file name is \(bytes) bytes long, more than the \(StagedFiles.maximumNameLength) a file name may have"
            case .isAnInput(let input): "is the \(input); an output never replaces an input: choose another path"
            case .insideAnInput(let input): "is inside the \(input); segeval never writes into an input folder: choose another path"
            }
        }
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
