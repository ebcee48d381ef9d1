import ArgumentParser
import Evaluation

@main
struct Segeval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segeval",
        abstract: "Evaluate COVID-19 lung-infection segmentation exactly as the Inf-Net tables do, and run the co-supervised network.",
        discussion: """
        The default command evaluates prediction maps against ground truth:

          segeval --pred Results/Lung\\ infection\\ segmentation --gt LungInfection-Test/GT

        prints the paper's table (Dice, Sen., Spec., S_alpha, E_phi^mean, MAE) with the numbers the \
        MATLAB toolbox of the Inf-Net paper gives, to the last digit.
        """,
        version: SegevalVersion.string,
        subcommands: [EvaluateCommand.self, PredictCommand.self, ReportCommand.self],
        defaultSubcommand: EvaluateCommand.self
    )
}
