@testable import Attacks
import Engine
import Random
import XCTest

final class FastGradientSignTests: XCTestCase {
    func testFGSMStaysInTheBoxWithinEpsilonAndFoolsMoreAtLargerEpsilon() throws {
        let pool = try TinyProblem.pool(12, seed: 30)
        let network = Network(TinyProblem.model)
        let images = (0..<pool.count).map(pool.image)
        let results = try fastGradientSign(network: network, images: images, labels: pool.labels, epsilons: [0, 0.05, 0.5, 1])
        XCTAssertEqual(results.map(\.epsilon), [0, 0.05, 0.5, 1])
        XCTAssertEqual(results[0].meanL2, 0)
        for r in results { XCTAssertLessThanOrEqual(r.meanLinf, Double(r.epsilon) + 1e-7) }
        // eps 1 saturates every padded pixel, border included, to 0 or 1: the linear
        // approximation breaks down there (5 of 12 fooled against 8 of 12 at eps 0.5).
        XCTAssertLessThan(results[1].fooled, results[2].fooled)
        XCTAssertGreaterThan(results[2].successRate, 0.5)
        XCTAssertThrowsError(try fastGradientSign(network: network, images: images, labels: pool.labels, epsilons: [-0.1]))
    }
}

final class FoolingImageTests: XCTestCase {
    func testEveryClassGetsANoiseImageAboveTheConfidenceInsideTheBox() throws {
        let network = Network(TinyProblem.model)
        let images = try makeFoolingImages(network: network, rng: RandomStream(rootSeed: 5, name: "fooling"))
        XCTAssertEqual(images.map(\.label), [0, 1, 2])
        for image in images {
            XCTAssertTrue(image.reached, "class \(image.label): \(image.confidence) after \(image.evaluations) evaluations")
            XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            XCTAssertEqual(Double(exp(network.forward(image.pixels)[image.label])), image.confidence, accuracy: 1e-9)
            XCTAssertGreaterThanOrEqual(image.confidence, 0.996)
        }
        let again = try makeFoolingImages(network: network, rng: RandomStream(rootSeed: 5, name: "fooling"))
        XCTAssertEqual(again, images)
    }
}
