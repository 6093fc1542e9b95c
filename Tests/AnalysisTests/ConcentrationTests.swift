@testable import Analysis
import Engine
import Random
import XCTest
import StudyTypes

final class ConcentrationTests: XCTestCase {
    func testConcentrationOfAProfileAndPerPairAverages() {
        let rows: [[Float]] = [[1, 0, 0, 0], [0, 0, 0, 1]]
        let c = VolatilityAnalysis.summarise(rows, layer: .fc, units: 4, definition: .normOfDifference)
        XCTAssertEqual(c.meanGini, 0.75, accuracy: 1e-12)
        XCTAssertEqual(c.meanTopTenShare, 1, accuracy: 1e-12)
        XCTAssertEqual(c.meanVolatility, [0.5, 0, 0, 0.5])
        XCTAssertEqual(c.profileGini, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.profileTopTenShare, 0.5, accuracy: 1e-12)
    }

    func testVolatilityAnalysisCoversEveryLayerAndPair() {
        var rng = RandomStream(seed: 3)
        let net = Network(Model.torchDefault(.tiny, normalisation: .identity, rng: &rng))
        let image = { (0..<Architecture.tiny.pixels).map { _ in rng.nextFloat() } }
        let pairs = (0..<3).map { _ in AdversarialPair(original: image(), adversarial: image(), trueLabel: 0, targetLabel: 1) }
        let analysis = VolatilityAnalysis(network: net, pairs: pairs)
        XCTAssertEqual(analysis.layers.map(\.layer), [.conv1, .conv2, .fc])
        XCTAssertEqual(analysis[.conv2].perPair.count, 3)
        XCTAssertEqual(analysis[.fc].perPair[1], net.pairActivations(pairs[1]).volatility(.fc, architecture: .tiny))
        XCTAssertEqual(analysis[.conv1].concentration.meanVolatility.count, Architecture.tiny.conv1Channels)
    }
}
