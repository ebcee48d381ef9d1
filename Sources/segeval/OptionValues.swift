import ArgumentParser
import Evaluation
import Inference
import Metrics
import Report

// The closed sets of values options take, as types: the parser lists them in the help, completes
// them, and refuses anything else with its own message naming the choices.

/// `--format`: the table on standard output.
enum TableFormat: String, CaseIterable, ExpressibleByArgument {
    case text, markdown, csv, latex, json

    /// Also `md` and `tex`.
    init?(argument: String) {
        switch argument {
        case "md": self = .markdown
        case "tex": self = .latex
        default: self.init(rawValue: argument)
        }
    }
}

/// `--protocol`: one of the presets (`EvaluationProtocol.presets`).
enum ProtocolOption: String, CaseIterable, ExpressibleByArgument {
    case infnet
    case infnetLatest = "infnet-latest"
    case standard

    var evaluationProtocol: EvaluationProtocol { EvaluationProtocol.named(rawValue)! }
}

/// `--layout`: detected (`auto`) or forced.
enum LayoutOption: String, CaseIterable, ExpressibleByArgument {
    case auto, single, models, classes

    /// The forced layout; nil for `auto`.
    var forced: LayoutKind? {
        switch self {
        case .auto: nil
        case .single: .singleModel
        case .models: .models
        case .classes: .classes
        }
    }
}

/// `--page`: the report's paper size.
enum PageOption: String, CaseIterable, ExpressibleByArgument {
    case a4, letter

    /// Also `us-letter`, and any letter case.
    init?(argument: String) {
        switch argument.lowercased() {
        case "us-letter": self = .letter
        default: self.init(rawValue: argument.lowercased())
        }
    }

    var size: PageSize { self == .letter ? .letter : .a4 }
}

extension ModelArchitecture: ExpressibleByArgument {}
