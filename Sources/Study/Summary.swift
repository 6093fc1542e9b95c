import Engine
import Experiments
import Foundation

/// `out/summary.json`: every number of the run, no timings, dates or machine names.
struct Summary {
    let profile: Profile
    let seed: UInt64
    let base: BaseTrainingResult

    func json() throws -> Data {
        struct Base: Encodable {
            var architecture: String
            var parameters: Int
            var epochs: Int
            var batch_size: Int
            var learning_rate: Float
            var learning_rate_decay: Float
            var weight_decay: Float
            var momentum: Float
            var train_images: Int
            var test_accuracy: Double
            var train_accuracy: Double
            var per_epoch: [EpochRecord]
        }
        struct Root: Encodable {
            var profile: String
            var seed: UInt64
            var base: Base
        }
        let s = profile.base
        let root = Root(profile: profile.name, seed: seed, base: Base(
            architecture: s.architecture.description, parameters: s.architecture.parameterCount, epochs: s.epochs,
            batch_size: s.batchSize, learning_rate: s.optimizer.learningRate, learning_rate_decay: s.optimizer.learningRateDecay,
            weight_decay: s.optimizer.weightDecay, momentum: s.optimizer.momentum, train_images: s.trainImages,
            test_accuracy: base.testAccuracy, train_accuracy: base.trainAccuracy, per_epoch: base.perEpoch))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(root)
    }
}
