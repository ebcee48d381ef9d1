import Foundation
import ImageIO

/// The slices to predict: every PNG/JPEG file (by extension, case-insensitive) in the given
/// folders, non-recursive and sorted by name, plus files named directly. (Which files predict
/// writes for them, and the checks on those names, are `OutputPlan`'s.)
public enum ImageList {
    public static func collect(_ paths: [String]) throws(InferenceError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InferenceError("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                    throw InferenceError("\(path): cannot list the folder")
                }
                let images = names.filter { !$0.hasPrefix(".") && ImageReader.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                guard !images.isEmpty else {
                    throw InferenceError("\(path): no .png, .jpg or .jpeg files in this folder")
                }
                files += images.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }
}
