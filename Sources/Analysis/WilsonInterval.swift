/// A binomial share with its Wilson score interval, as the author's `adversarial.lua` computes
/// it (`wilsonInterval(p, n)`, z = 1.96 for 95%):
///
///     (p + z^2/2n -+ z sqrt((p(1 - p) + z^2/4n) / n)) / (1 + z^2/n)
public struct WilsonInterval: Codable, Equatable, Sendable {
    public var successes: Int
    public var trials: Int
    /// successes / trials (0 for no trials).
    public var share: Double
    public var lower: Double
    public var upper: Double

    /// The interval for `successes` of `trials`; with no trials the interval is [0, 1].
    public init(successes: Int, trials: Int, z: Double = 1.96) {
        precondition(trials >= 0 && (0...max(trials, 0)).contains(successes), "need 0 <= successes <= trials")
        self.successes = successes
        self.trials = trials
        guard trials > 0 else { share = 0; lower = 0; upper = 1; return }
        let n = Double(trials), p = Double(successes) / n
        share = p
        // centre = p + z^2/2n, half = z sqrt((p(1-p) + z^2/4n)/n), both over 1 + z^2/n
        let centre = p + z * z / (2 * n)
        let half = z * ((p * (1 - p) + z * z / (4 * n)) / n).squareRoot()
        let scale = 1 + z * z / n
        lower = max(0, (centre - half) / scale)
        upper = min(1, (centre + half) / scale)
    }
}
