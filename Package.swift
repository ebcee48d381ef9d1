// swift-tools-version:6.0
import PackageDescription

/// segeval: evaluation of COVID-19 lung-infection segmentation (the Inf-Net protocol, exactly)
/// and native inference of the co-supervised network (CoSupNet).
///
/// Layout:
/// - `Metrics`: pure computation (counts, curves, S/E-measure, MAE, weighted F, aggregation).
/// - `ImageIO`: PNG (libpng classic API through `CPNG`) and JPEG (TurboJPEG) decoding/encoding.
/// - `Output`: all-or-nothing writing of outputs, and their removal on Ctrl-C.
/// - `Files`: folder listings in MATLAB `dir` order and file stems.
/// - `Evaluation`: folder layouts, pairing, reading pairs as the protocol says, parallel runs.
/// - `Inference`: the CoSupNet forward pass, weight loading (.pth, .safetensors), oneDNN backend.
/// - `Report`: tables (text, CSV, Markdown, LaTeX, JSON) and the Cairo PDF report.
/// - `segeval`: the command line.
/// - `Fuzz/`: libFuzzer harnesses (`scripts/fuzz.sh`).
let package = Package(
    name: "segeval",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "segeval", targets: ["segeval"]),
        .library(name: "Metrics", targets: ["Metrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Thin C targets.
        .target(
            name: "CPNG",
            path: "Sources/CPNG",
            linkerSettings: [.linkedLibrary("png16")]
        ),
        .systemLibrary(
            name: "CTurboJPEG",
            path: "Sources/CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo-pdf",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // Debian's nifticlib (libnifti2-dev; no pkg-config file, and its headers include each
        // other by bare name: a thin C wrapper with the header path, the libraries named here).
        .target(
            name: "CNIfTI",
            path: "Sources/CNIfTI",
            cSettings: [.unsafeFlags(["-I/usr/include/nifti"])],
            linkerSettings: [.linkedLibrary("nifti2"), .linkedLibrary("znz"), .linkedLibrary("z"), .linkedLibrary("m")]
        ),
        .target(
            name: "CDNNL",
            path: "Sources/CDNNL",
            linkerSettings: [.linkedLibrary("dnnl")]
        ),
        // segeval's own compute kernels (Winograd convolution), per instruction-set level; no oneDNN.
        // Optimised in debug builds too: `swift test` runs the 352x352 Inf-Net networks at every
        // instruction-set level, and unoptimised kernels made that the longest part of the suite.
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),

        // Swift modules.
        .target(name: "Metrics"),
        .target(name: "ImageIO", dependencies: ["CPNG", "CTurboJPEG", "Files"]),
        // Folder listings in MATLAB dir order, file stems.
        .target(name: "Files"),
        // All-or-nothing writing of outputs (staged files, created folders) and their removal on Ctrl-C.
        .target(name: "Output"),
        // NIfTI volumes (nifticlib), checked as untrusted input.
        .target(name: "VolumeIO", dependencies: ["CNIfTI", "Files"]),
        .target(name: "Evaluation", dependencies: ["Metrics", "ImageIO", "VolumeIO", "Files"]),
        // Optimised in debug builds too (weight decoding and folding, the host-side layers), for
        // the same reason as CKernels.
        .target(name: "Inference", dependencies: ["CDNNL", "CKernels", "ImageIO", "Output", "Files"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Report", dependencies: ["Metrics", "Evaluation", "VolumeIO", "ImageIO", "Output", "Files", "CCairo"]),
        .executableTarget(
            name: "segeval",
            dependencies: [
                "Metrics", "ImageIO", "Output", "Files", "Evaluation", "Inference", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // libFuzzer harnesses of every parser of untrusted input: scripts/fuzz.sh builds them with
        // AddressSanitizer and libFuzzer; a plain build links them inert.
        .target(name: "FuzzMain", path: "Fuzz/FuzzMain"),
        .executableTarget(name: "FuzzTargets", dependencies: ["FuzzMain", "ImageIO", "Inference", "VolumeIO"], path: "Fuzz/FuzzTargets"),

        // Tests.
        .target(name: "SegevalTestSupport", dependencies: ["ImageIO"], path: "Tests/SegevalTestSupport"),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "SegevalTestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Files", "SegevalTestSupport"]),
        .testTarget(name: "OutputTests", dependencies: ["Output", "SegevalTestSupport"]),
        .testTarget(name: "VolumeIOTests", dependencies: ["VolumeIO", "Metrics", "Files", "SegevalTestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Metrics", "ImageIO", "SegevalTestSupport"]),
        // PyTorch golden cases of CoSupNet, and a tool that runs them in a fresh process (so that a
        // test can run them under each ONEDNN_MAX_CPU_ISA cap).
        .target(name: "GoldenSupport", dependencies: ["Inference", "ImageIO", "SegevalTestSupport"], path: "Tests/GoldenSupport"),
        .executableTarget(name: "segeval-golden-check", dependencies: ["GoldenSupport", "Inference"], path: "Tests/GoldenRunner"),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "ImageIO", "Files", "SegevalTestSupport", "GoldenSupport", "segeval-golden-check"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Evaluation", "Metrics", "ImageIO", "Output", "VolumeIO", "SegevalTestSupport"]),
        .testTarget(name: "CLITests", dependencies: [
            "segeval", "ImageIO", "SegevalTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
