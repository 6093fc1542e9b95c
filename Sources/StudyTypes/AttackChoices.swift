/// The choices of the attack's protocol that other stages name too (the sensitivity study varies
/// them one at a time, the profile records them): plain enums, so that every target speaks of
/// the same values. `AttackSettings` (Attacks) holds them with the rest of the protocol.

/// Which pixels the perturbation r moves, and in which units r, its bounds and ||r||^2 live.
public enum AttackDomain: String, Codable, Hashable, Sendable, CaseIterable {
    /// The author's (`adversarial.lua`: an `nn.Add(1024)` in front of the net): every pixel the
    /// network takes (the 32x32 padded image, border included), r in normalised units
    /// ((x - mean) / std), bounded so that every pixel stays in [0, 1] (= [0, 255] bytes).
    case paddedNormalised
    /// The image's own 28x28 pixels only (the border stays 0), r in [0, 1] pixel units.
    case interiorPixels
}

/// Which C the final run uses.
public enum FinalCRule: String, Codable, Hashable, Sendable, CaseIterable {
    /// The author's: the bisection's lower bound as it stood before the last update (the code
    /// sets `C_final = C_min` before updating), so it lags one step and is 0 when no earlier
    /// bisection run succeeded. The final run starts from r = 0.
    case laggedLowerBound
    /// The last successful C of the search (bisection successes only grow, so the largest the
    /// bisection found; the growth phase's if the bisection found none): the minimal-distortion
    /// reading of Szegedy et al. The final run starts from r = 0; if it fails where the
    /// warm-started run at that C succeeded, the warm-started run is reported.
    case largestSuccessful
}

/// Which MNIST set the attacked images are drawn from (correctly classified ones only).
public enum AttackSource: String, Codable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The author's code (`mnist_model.lua` draws from `mnist.test_inputs`).
    case test
    /// The paper's text ("training images").
    case train

    public var description: String {
        switch self {
        case .test: return "correctly classified test images (the author's code)"
        case .train: return "correctly classified training images (the paper's text)"
        }
    }
}
