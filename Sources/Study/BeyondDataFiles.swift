import StudyTypes
import Analysis
import Foundation
import Report

/// The author's two CSV files, per pair on the base net (`adversarial.lua` writes
/// `results_from_adversarial.csv` and `results_from_original.csv`), and the distortion moments.
/// Semicolon-separated like the author's; a header row names every column.
struct BeyondDataFiles {
    let beyond: BeyondResults
    let pairs: [AdversarialPair]

    static let names = ["monte-carlo-from-adversarial.csv", "monte-carlo-from-original.csv"]

    /// The section of `data/README.md` that documents these files.
    static let readme = """
        # Monte-Carlo probing: `monte-carlo-from-adversarial.csv`, `monte-carlo-from-original.csv`

        The author's `adversarial.lua` CSV layout, semicolon-separated, one row per pair, on the base
        net: original and adversarial label; the distortion's mean (bytes, with the data set's mean
        byte value added as the author's code adds it), std (bytes, n - 1), excess kurtosis and
        skewness; then for every Gaussian level i and for the resampled noise: the requested noise std
        and the realised std of (clipped image - centre) in [0, 1] pixel units, and the % of samples
        classified as the original and as the target. The `-orig` file adds the noise to the original.
        `summary.json` (`monte_carlo`) has the same for the hardened nets, summarised over pairs.

        """

    func write(into data: URL) throws {
        for (centre, name) in zip([ProbeCentre.adversarial, .original], BeyondDataFiles.names) {
            try FileTree.writeAtomically(Array(csv(centre).utf8), to: data.appendingPathComponent(name))
        }
    }

    /// One row per pair: labels, the four moments (the CSV mean with the data set's mean byte
    /// offset, as the author's), then per Gaussian level and for the resampled noise: requested
    /// std, realised std (pixel units), % classified as the original, % as the target.
    func csv(_ centre: ProbeCentre) -> String {
        let mc = beyond.monteCarlo
        guard let first = mc.curves.first?.first else { return "" }
        var header = ["Original label", "Adversarial label", "Disturbance mean", "Std", "Kurtosis", "Skewness"]
        for curve in first where curve.centre == centre {
            for l in curve.levels {
                let tag = curve.noise == .gaussian ? "i=\(l.level)" : "resampled"
                header += ["\(tag) expected MC noise std", "\(tag) actual noise std", "\(tag) original (%)", "\(tag) adversarial (%)"]
            }
        }
        var lines = [header.joined(separator: ";")]
        for (i, pair) in pairs.enumerated() {
            let m = beyond.moments.perPair[i]
            var row = ["\(pair.trueLabel)", "\(pair.targetLabel)", "\(m.csvMean)", "\(m.std)", "\(m.excessKurtosis)", "\(m.skewness)"]
            for curve in mc.curves[0][i] where curve.centre == centre {
                for l in curve.levels {
                    let n = Double(max(l.samples, 1))
                    row += ["\(l.noiseStd)", "\(l.actualNoiseStd)", "\(100 * Double(l.original) / n)", "\(100 * Double(l.target) / n)"]
                }
            }
            lines.append(row.joined(separator: ";"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
