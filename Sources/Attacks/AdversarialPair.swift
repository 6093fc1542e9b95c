/// One attacked image: the record the study keeps, whether the attack succeeded or not.
/// Distortions are of r = adversarial - original in pixel units ([0, 1]) over every stored
/// pixel (the padded image when the net takes one), computed from the stored Float images.
public struct AdversarialPair: Codable, Equatable, Sendable {
    /// Index of the source image in the candidate pool.
    public var sourceIndex: Int
    public var trueLabel: Int
    public var target: Int
    /// The net's class for the adversarial image equals the target.
    public var success: Bool
    /// The net's class for the adversarial image.
    public var predicted: Int
    /// ||r||_2.
    public var l2: Double
    /// Szegedy et al.'s measure: sqrt(sum r_i^2 / n), n = the image's own pixels (784 for MNIST).
    public var l2PerPixel: Double
    /// max |r_i|.
    public var linf: Double
    /// sum |r_i| / n, n as for `l2PerPixel`.
    public var meanAbs: Double
    /// p(target | adversarial).
    public var targetConfidence: Double
    /// p(true label | original).
    public var originalConfidence: Double
    /// C of the reported run (C_final).
    public var c: Double
    /// Where the growth of C stopped (C_fail); nil if it never stopped.
    public var cFail: Double?
    /// Function + gradient evaluations and iterations over the whole C search; runs of L-BFGS-B.
    public var evaluations: Int
    public var iterations: Int
    public var runs: Int
    /// Why the reported run's L-BFGS-B solve ended.
    public var stop: LBFGSBStop
    public var original: [Float]
    public var adversarial: [Float]

    /// Measures `adversarial` against `original` with the two confidences already known.
    public init(sourceIndex: Int, trueLabel: Int, target: Int, predicted: Int, targetConfidence: Double,
                originalConfidence: Double, c: Double, cFail: Double?, imagePixels: Int, evaluations: Int, iterations: Int, runs: Int,
                stop: LBFGSBStop, original: [Float], adversarial: [Float]) {
        precondition(original.count == adversarial.count && !original.isEmpty)
        self.sourceIndex = sourceIndex
        self.trueLabel = trueLabel
        self.target = target
        self.success = predicted == target
        self.predicted = predicted
        let d = Distortion(original: original, perturbed: adversarial, imagePixels: imagePixels)
        l2 = d.l2; l2PerPixel = d.l2PerPixel; linf = d.linf; meanAbs = d.meanAbs
        self.targetConfidence = targetConfidence
        self.originalConfidence = originalConfidence
        self.c = c
        self.cFail = cFail
        self.evaluations = evaluations
        self.iterations = iterations
        self.runs = runs
        self.stop = stop
        self.original = original
        self.adversarial = adversarial
    }
}

/// Size of a perturbation r = perturbed - original, in pixel units: L2 and L-inf over every
/// pixel given; Szegedy's sqrt(sum r^2 / n) and the mean |r| with n = `imagePixels` (the image's
/// own pixel count, 784 for MNIST, also when r covers the 32x32 padded image).
public struct Distortion: Codable, Equatable, Sendable {
    public var l2: Double
    public var l2PerPixel: Double
    public var linf: Double
    public var meanAbs: Double

    public init(original: [Float], perturbed: [Float], imagePixels: Int? = nil) {
        precondition(original.count == perturbed.count && !original.isEmpty)
        var squares = 0.0, absolute = 0.0, largest = 0.0
        for i in 0..<original.count {
            let r = Double(perturbed[i]) - Double(original[i])
            squares += r * r
            absolute += abs(r)
            largest = max(largest, abs(r))
        }
        let n = Double(imagePixels ?? original.count)
        l2 = squares.squareRoot()
        l2PerPixel = (squares / n).squareRoot()
        linf = largest
        meanAbs = absolute / n
    }
}
