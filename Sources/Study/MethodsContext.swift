import Engine
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
            ("Attack optimiser", "L-BFGS-B (Debian's liblbfgsb 3.0), m \(a.optimizer.memory), factr \(Format.scientific(a.optimizer.factr, 0)), pgtol \(Format.scientific(a.optimizer.pgtol, 0)), at most \(a.optimizer.maxEvaluations) evaluations per run", "author's code"),
            ("C search", a.searchDescription, a == .author ? "author's code" : "this study"),
            ("Attack variable", a.domainDescription, a.domain == .paddedNormalised ? "author's code" : "this study"),
            ("Attack variants", profile.attackVariants.map { "\($0.name): \($0.domainDescription); \($0.searchDescription)" }.joined(separator: " | "), "this study (same sources and targets)"),
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
            ("Source images", profile.attackSource.description + ", drawn at random" + (profile.attackSource == .test ? "; hardening's MNIST test accuracy leaves them out" : ""), profile.attackSource == .test ? "the author's code; the paper's text says training images" : "the paper's text; the author's code used test images"),
            ("Attack success", "the final image re-checked: the base net's first-maximum class of x + r equals the target; failures counted and reported, drawing continues until \(profile.pairs) successes", "the author's code never re-checks the final image"),
            ("Attack precision", "the network computes in float32, so factr's relative tolerance (about 2e-9) is below the loss's rounding noise; runs mostly end at the evaluation limit or an abnormal line search", "float32 on both sides: the author's code sets torch.FloatTensor (L-BFGS-B itself runs in double in both)"),
            ("Volatility", "v_j = ||a_j(adv) - a_j(orig)||_F per feature map or neuron, \(h.selection.point == .preReLU ? "on the conv2 and fc1 outputs before their ReLU" : "after the layer's ReLU")", "the author's notebook (its modules 6 and 10: conv2 and fc1 before their ReLU); |‖a_adv‖ - ‖a_orig‖| is the alternative reading, post-ReLU a variant"),
            ("Volatility during hardening", "\(h.selection.source == .baseNet ? "computed once per pair on the fixed base net, before any run, so a pair's mask is fixed for the whole run" : "recomputed for every pair with the network being trained, before its two steps")", "the author's notebook: compareActivities(net, ...) runs on the base net while a copy trains; the current network is a variant"),
            ("Selection", "the ceil(p width) most volatile units retained, ties by lower index; the same mask for the pair's two steps", "the paper's text; the notebook's inverse is an ablation"),
            ("Switching off", "incoming weight rows zeroed for the step, restored after (biases keep their update)", "the author's notebook; a pure gradient mask is an ablation"),
            ("Split", "one random pair per perturbation group held out (groups of size 1 included), the rest trained on", "the paper's text"),
            ("Convergence", "first epoch from which the adversarial training accuracy stays within \(Format.fixed(100 * h.convergence.tolerance, 0)) point of its final value, the plateau spanning at least \(h.convergence.plateauEpochs) epochs; a run without it by epoch \(h.epochs) is right-censored (not converged), counted per cell and left out of step means and ratios", "the paper gives no definition"),
            ("Training accuracy", "the fraction of an epoch's adversarial (or original) steps whose forward pass, taken before the step's update, classified the image as its true label: read from the training steps, no extra forward passes; epoch 0 evaluates the base net", "the paper's section 5: 'evaluation was done based on training error'; the tables use the withheld pairs"),
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
