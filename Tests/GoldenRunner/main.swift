// segeval-golden-check: runs PyTorch golden cases of CoSupNet in a fresh process, so that a test can
// run them under each `ONEDNN_MAX_CPU_ISA` cap (oneDNN reads it once per process).
//
//   segeval-golden-check --variant automatic --variant separate-post-ops fixture small full
//
// Prints one JSON object: the instruction set in effect and, per case and variant, the largest
// errors against PyTorch. Cases whose files are absent are left out. Exit 0 unless a case could not run.
import Foundation
import GoldenSupport
import Inference

var variants: [BackendVariant] = []
var cases: [GoldenCase] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--variant", let name = arguments.popFirst(), let variant = BackendVariant(rawValue: name) {
        variants.append(variant)
    } else if let golden = GoldenCase.named(argument) {
        cases.append(golden)
    } else {
        FileHandle.standardError.write(Data("usage: segeval-golden-check [--variant NAME]... CASE...; unknown '\(argument)'\n".utf8))
        exit(2)
    }
}
if variants.isEmpty { variants = [.automatic] }

let isa = InstructionSet.current
var report = GoldenReport(isa: isa)
do {
    for golden in cases where golden.isAvailable {
        for variant in variants {
            report.runs.append(.init(golden: golden.name, variant: variant, result: try golden.run(configuration: variant.configuration(for: isa))))
        }
    }
} catch {
    FileHandle.standardError.write(Data("segeval-golden-check: \(error)\n".utf8))
    exit(1)
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
FileHandle.standardOutput.write(try! encoder.encode(report) + Data("\n".utf8))
