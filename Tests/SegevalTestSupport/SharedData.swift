import Foundation

/// `../shared` next to the package root (present in development sessions and CI, absent in a
/// user's fresh clone). Tests that need it are disabled with a message when it is missing.
public enum SharedData {
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() } // Tests/SegevalTestSupport/SharedData.swift
        return url.path
    }()

    public static let root = packageRoot + "/../shared"
    public static let dataset = root + "/data/covid-semiseg"

    /// The parts of the dataset the reference tests read.
    static let requiredParts = ["EvaluateResults-json", "EvaluateResults", "Results", "Dataset/TestingSet"]

    public static var isAvailable: Bool {
        let missing = requiredParts.filter { !FileManager.default.fileExists(atPath: dataset + "/" + $0) }
        if !missing.isEmpty {
            print("skipped: ../shared/data/covid-semiseg (\(missing.joined(separator: ", "))) is not present (fresh clone); reference tests run in CI")
        }
        return missing.isEmpty
    }
}
