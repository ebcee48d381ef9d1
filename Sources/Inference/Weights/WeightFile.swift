import Foundation
import Files

/// Loads a weight file by its content: `torch.save` zip (`.pth`, `.pt`), legacy `torch.save`
/// (PyTorch <= 1.5) or `.safetensors`.
public enum WeightFile {
    /// Reads every tensor of the file at `path`, with `module.` prefixes removed.
    /// Throws `FileError` naming the file for unreadable, truncated, corrupt or hostile files.
    public static func load(path: String) throws(FileError) -> StateDict {
        try RegularFile.check(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            // In our words: Foundation's would be "NSCocoaErrorDomain error 257".
            throw FileError(path: path, reason: access(path, R_OK) != 0 ? "cannot read the file: permission denied" : "cannot read the file")
        }
        return try parse(data, name: path)
    }

    /// Parses weight-file bytes held in memory; `name` is used in error messages.
    public static func parse(_ data: Data, name: String) throws(FileError) -> StateDict {
        let result: Result<StateDict, FormatError> = data.withUnsafeBytes { bytes in
            do throws(FormatError) {
                if ZipArchive.looksLikeZip(bytes) { return .success(try PthReader.read(bytes)) }
                if SafetensorsReader.looksLikeSafetensors(bytes) { return .success(try SafetensorsReader.read(bytes)) }
                if LegacyPthReader.looksLikeLegacy(bytes) { return .success(try LegacyPthReader.read(bytes)) }
                if bytes.count >= 2, bytes[0] == 0x80 {
                    throw FormatError("a pickle file that is not a torch.save checkpoint (no torch.save magic number)")
                }
                throw FormatError(bytes.isEmpty ? "empty file" : "neither a torch.save (.pth) zip nor a .safetensors file")
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let dict): return dict.strippingModulePrefix()
        case .failure(let error): throw FileError(path: name, reason: error.reason)
        }
    }
}
