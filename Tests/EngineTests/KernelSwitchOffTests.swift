@testable import Engine
import Random
import XCTest

/// Under stateless SGD the one-thread fast kernels switch units off themselves
/// (`FastKernels.switchOff`): the same bits as zeroing the units' incoming rows, stepping and
/// restoring them, on both maskable layers.
final class KernelSwitchOffTests: XCTestCase {
    func testTheKernelsSwitchOffGivesTheBitsOfZeroingSteppingAndRestoringTheRows() {
        for layer in [UnitLayer.conv2, .fc] {
            let model = paperModel(seed: 73), images = blobImages(12, seed: 74)
            var rng = RandomStream(seed: 75)
            let width = model.architecture.width(of: layer), n = model.architecture.parameterCount
            // Two random masks (about a third off: a last tile of the kernels partly filled),
            // every unit off, one unit on.
            let masks = (0..<2).map { _ in (0..<width).map { _ in rng.nextInt(below: 3) != 0 } }
                + [[Bool](repeating: false, count: width), (0..<width).map { $0 == 5 }]
            let kernel = Network(model), byHand = Network(model)
            let o1 = SGD(settings: .plain(0.05), parameterCount: n), o2 = SGD(settings: .plain(0.05), parameterCount: n)
            let rows = byHand.incomingRows(of: layer)
            for (i, (pixels, label)) in images.enumerated() {
                let retained = masks[i % masks.count]
                let r1 = kernel.trainStep(pixels, label: label, optimizer: o1, mask: UnitMask(layer: layer, retained: retained))
                let saved = Array(byHand.parameters)
                let off = (0..<width).filter { !retained[$0] }.flatMap { j in (0..<rows.length).map { rows.offset + j * rows.length + $0 } }
                for k in off { byHand.parameters[k] = 0 }
                let r2 = byHand.trainStep(pixels, label: label, optimizer: o2)
                for k in off { byHand.parameters[k] = saved[k] }
                XCTAssertEqual(r1.loss.bitPattern, r2.loss.bitPattern, "\(layer) step \(i) loss")
                XCTAssertEqual(r1.correct, r2.correct)
            }
            let differing = zip(kernel.parameters, byHand.parameters).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(differing, 0, "\(layer): \(differing) parameters differ in their bits")
            XCTAssertNotEqual(Array(kernel.parameters), model.parameters, "the steps changed the parameters")
        }
    }
}
