import ArgumentParser

/// `segeval predict`: CoSupNet probability maps for a folder of CT slices.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict lung-infection probability maps with the built-in co-supervised network."
    )

    func run() throws {
        throw ValidationError("segeval predict is not available yet")
    }
}
