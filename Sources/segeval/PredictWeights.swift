import ArgumentParser
import Foundation

/// Where `segeval predict` gets its weights. Today `--weights` is required; a default (shipped)
/// checkpoint can be plugged in here without touching the command.
enum PredictWeights {
    /// The weights file to use, or a usage error explaining how to give one.
    static func resolve(_ explicit: String?) throws -> String {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw ValidationError("\(explicit): no such weights file")
            }
            return explicit
        }
        throw ValidationError("give the network weights with --weights FILE (.pth or .safetensors)")
    }
}
