import Engine
import Foundation
import MNIST
import Random

let mnist = try MNIST(directory: URL(fileURLWithPath: "data/mnist"))
var rng = RandomStream(seed: 1)
let net = Network(Model.torchDefault(.paper, normalization: Normalization(mean: 0.1, std: 0.3), rng: &rng))
let opt = SGD(settings: SGDSettings(learningRate: 1e-4, weightDecay: 1e-3, momentum: 0.9), parameterCount: 105506)
let images = (0..<2000).map { mnist.train.pixels($0) }
for _ in 0..<3 {
    let start = Date()
    var n = 0
    while Date().timeIntervalSince(start) < 3 {
        for i in 0..<2000 { net.trainStep(images[i], label: Int(mnist.train.labels[i]), optimizer: opt) }
        n += 2000
    }
    print(Double(n) / Date().timeIntervalSince(start))
}
