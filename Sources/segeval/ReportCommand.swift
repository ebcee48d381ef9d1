import ArgumentParser

/// `segeval report`: the paper's figures as a PDF.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw the paper's figures (tables, curves, box plots, visual comparison) as a PDF."
    )

    func run() throws {
        throw ValidationError("segeval report is not available yet")
    }
}
