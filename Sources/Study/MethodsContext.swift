import Experiments
import Report

/// The Methods section's tables: every setting with its source, and every choice the paper and
/// STUDY.md left open, with the reason.
struct MethodsContext {
    let profile: Profile
    let hardening: HardeningResults

    func json() -> JSONValue {
        let b = profile.base, o = b.optimizer, a = profile.attack, h = hardening.settings, t = profile.transfer
        let settings: [(String, String, String)] = [
            ("Network", b.architecture.description + ", \(Format.count(b.architecture.parameterCount)) parameters, Torch's default initialisation (uniform +-1/sqrt(fan-in))", "author's code"),
            ("Input", "28x28 pixels in [0, 1], zero-padded to 32x32, normalised by the padded training set's mean and std", "author's code"),
            ("Base optimiser", "SGD, lr \(Format.setting(o.learningRate)), lr decay \(Format.setting(o.learningRateDecay)) (lr / (1 + t decay)), momentum \(Format.setting(o.momentum)) with dampening \(Format.setting(o.dampening)), weight decay \(Format.setting(o.weightDecay)) on all parameters", "author's code"),
            ("Base schedule", "batch size 1, the training set in its file order, \(b.epochs) epochs over \(Format.count(b.trainImages)) images", "author's code"),
            ("Adversarial pairs", "\(profile.pairs) successful pairs, targets uniform over the other 9 labels", "paper"),
            ("Attack optimiser", "L-BFGS-B (Debian's liblbfgsb 3.0), m \(a.optimizer.memory), factr \(String(format: "%.0e", a.optimizer.factr)), pgtol \(String(format: "%.0e", a.optimizer.pgtol)), at most \(a.optimizer.maxEvaluations) evaluations per run", "author's code"),
            ("C search", "C = \(a.initialC), times \(Int(a.growth)) with warm start until failure (at most \(a.maxGrowthRuns) runs), \(a.bisectionRuns) bisection runs on [0, C_fail] from r = 0, final run at the last successful C", "author's code"),
            ("FGSM", "epsilons " + profile.fgsmEpsilons.map(Format.setting).joined(separator: ", ") + " on the pairs' originals", "this study"),
            ("Hardening optimiser", "plain SGD (no momentum, no weight decay), one image per step, lr " + h.learningRates.map { "\($0)" }.joined(separator: " and "), "paper"),
            ("Hardening schedule", "\(h.epochs) epochs; each epoch the training pairs in a new seeded order, adversarial (true label) then original", "paper; epochs chosen here"),
            ("Selective dropout", "p in " + h.proportions.map { "\($0)" }.joined(separator: ", ") + " on conv2 (64 maps) and fc (200 units); k = ceil(p width) most volatile units retained", "paper"),
            ("Seeds", "\(h.seeds) seeds of splits and orders (seed 0 gives tables 1-3); base net and pairs fixed", "this study"),
            ("MNIST monitor", "\(Format.count(h.monitorSize)) fixed test images per epoch (seed 0), all test images after the last epoch", "this study"),
            ("p schedule", "p0 in " + h.scheduleStarts.map { "\($0)" }.joined(separator: ", ") + ", alpha \(h.scheduleRate) per epoch, lr " + h.scheduleLearningRates.map { "\($0)" }.joined(separator: ", "), "paper's future work; values chosen here"),
            ("Transfer net", "same architecture, new seed, \(t.epochs) epochs of batch-1 SGD, lr \(Format.setting(t.sgd.learningRate)), momentum \(Format.setting(t.sgd.momentum)), shuffled order", "this study"),
        ]
        let choices: [(String, String, String)] = [
            ("Source images", "correctly classified training images drawn at random", "the paper's text; the author's code used test images"),
            ("Attack success", "the base net's first-maximum class of x + r equals the target", "the author's code checks the predicted label"),
            ("Attack precision", "the network computes in single precision, so factr's relative tolerance (about 2e-9) is below the loss's rounding noise; runs mostly end at the evaluation limit or an abnormal line search", "Torch7 computed in double; stated, not changed"),
            ("Volatility", "v_j = ||a_j(adv) - a_j(orig)||_F per feature map or neuron (post-ReLU)", "the author's code; |‖a_adv‖ - ‖a_orig‖| is the alternative reading"),
            ("Volatility during hardening", "recomputed for every pair with the current network before its two steps", "the notebook computes it per pair"),
            ("Selection", "the ceil(p width) most volatile units retained, ties by lower index; the same mask for the pair's two steps", "the paper's text; the notebook's inverse is an ablation"),
            ("Switching off", "incoming weight rows zeroed for the step, restored after (biases keep their update)", "the author's notebook; a pure gradient mask is an ablation"),
            ("Split", "one random pair per perturbation group held out (groups of size 1 included), the rest trained on", "the paper's text"),
            ("Convergence", "first epoch from which adversarial training accuracy stays within \(Format.fixed(100 * h.convergenceTolerance, 0)) point of its final value", "the paper gives no definition"),
            ("Pair order", "shared by every model of a (seed, grouping): common random numbers for the paired tests", "this study"),
            ("Projections", "the notebook's mapBack: forward with the real weights, then the unit's incoming weights set to 1 and every other unit's to 0 (biases kept), the log-probabilities back-propagated as their own gradient; a layer is the sum over its units (mapLayer). Alternatives offered: the gradient rule (the unit's own activation through the ReLU masks and max-pool switches) and deconvnet (ReLU on the signal)", "the author's notebook (transform_notebook.ipynb); figures 11-12 use mapBack"),
            ("Reversal", "a run reverses when its accuracy on the training originals ends at least 1 point below its peak", "the paper's 'reversal' has no definition"),
        ]
        return [
            "settings": .array(settings.map { ["name": .string($0.0), "value": .string($0.1), "source": .string($0.2)] }),
            "choices": .array(choices.map { ["topic": .string($0.0), "choice": .string($0.1), "reason": .string($0.2)] }),
        ]
    }
}
