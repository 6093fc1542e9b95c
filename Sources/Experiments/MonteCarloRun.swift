import StudyTypes
import Analysis
import Engine
import Random

/// Monte-Carlo probing of every pair on several networks (`probePair`), pairs spread over
/// `settings.workers` threads; pair i draws from `rng.child("pair-i")`, so the result does not
/// depend on the number of workers. Returns `curves[net][pair]`.
public func probePairs(_ pairs: [AdversarialPair], models: [Model], settings: MonteCarloSettings, rng: RandomStream,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) -> [[[ProbeCurve]]] {
    let perPair = runIndependentJobs(count: pairs.count, workers: settings.workers, progress: progress) { i in
        probePair(pairs[i], networks: models.map(Network.init), settings: settings, rng: rng.child("pair-\(i)"))
    }
    return models.indices.map { k in perPair.map { $0[k] } }
}
