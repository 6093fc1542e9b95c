import Attacks
import Engine
import Experiments
import Foundation
import Report

/// The run's raw data under `out/data/`, each in a documented plain format, so a reader can
/// re-plot or re-analyse without this program.
struct DataFiles {
    let results: StudyResults

    static let pairsName = "adversarial-pairs"

    /// A variant protocol's pair files, e.g. `adversarial-pairs-minimal-distortion`.
    static func variantPairsName(_ settings: AttackSettings) -> String {
        pairsName + "-" + settings.name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    func write(into data: URL) throws {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let generation = results.attack.generation
        try PairFiles.write(generation.attempts, to: data, name: DataFiles.pairsName)
        for variant in generation.variants {
            try PairFiles.write(variant.attempts, to: data, name: DataFiles.variantPairsName(variant.settings))
        }
        try FileTree.writeAtomically(results.base.model.serialised(), to: data.appendingPathComponent("base-net.weights"))
        let h = results.hardening
        try FileTree.writeAtomically(Array(h.curvesCSV().utf8), to: data.appendingPathComponent("hardening-curves.csv"))
        try FileTree.writeAtomically(Array(h.selectionCSV { $0.seed == 0 }.utf8),
                                     to: data.appendingPathComponent("hardening-selection-seed0.csv"))
        try FileTree.writeAtomically(Array(readme().utf8), to: data.appendingPathComponent("README.md"))
    }

    var architecture: Architecture { results.base.model.architecture }

    func readme() -> String {
        """
        # Data of this run

        Every file here is written by `swift run -c release report`; figures' own data are the
        `figureNN-*.json` files (the exact values each figure plots, as JSON).

        \(PairFiles.formatDescription(name: DataFiles.pairsName, pixelsPerImage: architecture.pixels,
                                     imagePixels: architecture.imagePixels))
        The primary protocol is `\(results.attack.generation.settings.name)` (sources: \(results.attack.source.description)).
        \(results.attack.generation.variants.map { "`\(DataFiles.variantPairsName($0.settings)).csv` and its two `.f32` files hold the `\($0.settings.name)` protocol's attacks of the same sources and targets, row i = row i above, in the same format." }.joined(separator: "\n"))

        # Base network: `base-net.weights`

        Little-endian throughout: the 8 bytes `SDNNv001`; nine Int32 (image side, padding, kernel,
        conv1 channels, pool 1, conv2 channels, pool 2, hidden units, classes); two Float32 (input
        normalisation mean and std, pixels in [0, 1]); an Int32 parameter count n; n Float32
        parameters in Torch's layout (conv1 weight [32][1][5][5], conv1 bias, conv2 weight
        [64][32][5][5], conv2 bias, fc1 weight [200][256], fc1 bias, fc2 weight [10][200], fc2 bias).

        # Hardening: `hardening-curves.csv`, `hardening-selection-seed0.csv`

        - `hardening-curves.csv`: one row per run and epoch, every seed: \(HardeningResults.curveHeader.split(separator: ",").map { "`\($0)`" }.joined(separator: ", ")).
          Accuracies are fractions; `adversarial_training` and `original_training` are read from the epoch's own
          steps (the fraction whose forward pass, before its update, classified the image as its true label; epoch 0
          evaluates the base net); `mnist_monitor` is filled on seed 0 only (the fixed MNIST subset);
          `retained` is the number of units kept per step under selective dropout.
        - `hardening-selection-seed0.csv`: for every selective-dropout run of seed 0, how often each
          unit of the target layer was retained (`selected`) out of `opportunities` pair steps (figure 13).

        \(BeyondDataFiles.readme)
        """
    }
}
