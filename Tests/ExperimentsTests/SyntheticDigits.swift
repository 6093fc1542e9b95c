import MNIST
import Random

/// `train` training and `test` test "digits": a bright bar whose position encodes the label.
func syntheticDigits(train: Int = 200, test: Int = 50, seed: UInt64 = 5) -> MNIST {
    var rng = RandomStream(seed: seed)
    func set(_ n: Int) -> DigitSet {
        var images = [UInt8](repeating: 0, count: n * 784), labels = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            let label = rng.nextInt(below: 10)
            labels[i] = UInt8(label)
            for y in 4..<24 { for x in 0..<2 { images[i * 784 + y * 28 + 4 + 2 * label + x] = UInt8(200 + rng.nextInt(below: 56)) } }
        }
        return DigitSet(images: images, labels: labels)
    }
    return MNIST(train: set(train), test: set(test))
}
