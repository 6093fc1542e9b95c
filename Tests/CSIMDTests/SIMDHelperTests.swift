import CSIMD
import XCTest

/// The engine's C vector helpers (`Sources/CSIMD/include/simd.h`) keep the rules the kernels'
/// bit-identity rests on: one rounding per fused multiply-add, fixed summation trees, `maxps`'s
/// maximum and the first maximum of a max-pool window.
final class SIMDHelperTests: XCTestCase {
    /// Lanes whose sums depend on the order of the additions (large values cancel).
    let lanes: [Float] = [1e8, 3, -1e8, 0.25, 7, -5e7, 1.5, 5e7, -2, 1e-3, 6e7, -6e7, 0.5, 9, -1e-2, 4]

    func vector16(_ values: [Float]) -> SIMD16<Float> { SIMD16(values) }
    func vector8(_ values: [Float]) -> SIMD8<Float> { SIMD8(values) }

    func testMultiplyAddRoundsOnceWhereFusedAndTwiceElsewhere() {
        #if ENGINE_FMA
        XCTAssertEqual(engine_fma_is_fused(), 1, "a build for an FMA target fuses")
        #endif
        // (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly; a separate multiply rounds the 2^-24 away.
        let a = Float(1) + Float(sign: .plus, exponent: -12, significand: 1)
        let c = -(Float(1) + Float(sign: .plus, exponent: -11, significand: 1))
        let fused = fma16(SIMD16(repeating: a), SIMD16(repeating: a), SIMD16(repeating: c))
        let eight = fma8(SIMD8(repeating: a), SIMD8(repeating: a), SIMD8(repeating: c))
        let expected = engine_fma_is_fused() == 1 ? Float(sign: .plus, exponent: -24, significand: 1) : 0
        XCTAssertEqual(fused, SIMD16(repeating: expected))
        XCTAssertEqual(eight, SIMD8(repeating: expected))
        XCTAssertEqual(fmas16(a, SIMD16(repeating: a), SIMD16(repeating: c)), fused)
        XCTAssertEqual(fmas8(a, SIMD8(repeating: a), SIMD8(repeating: c)), eight)
    }

    func testSum8AddsInTheFixedPairwiseTree() {
        let v = Array(lanes[0..<8])
        let tree = ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]))
        XCTAssertEqual(sum8(vector8(v)).bitPattern, tree.bitPattern)
        XCTAssertNotEqual(tree, v.reduce(0, +), "the lanes should tell the tree from a running sum")
    }

    func testSum16IsSum8OfItsTwoHalvesAddedLaneByLane() {
        // The promise the 8-lane kernels rest on: a 16-lane chain split into a low and a high
        // 8-lane chain sums to the same bits.
        var rotated = lanes
        for _ in 0..<16 {
            let v = vector16(rotated)
            let low = vector8(Array(rotated[0..<8])), high = vector8(Array(rotated[8..<16]))
            XCTAssertEqual(sum16(v).bitPattern, sum8(low + high).bitPattern)
            rotated.append(rotated.removeFirst())
        }
    }

    func testMaximumIsTheGreaterLaneAndOtherwiseTheSecondOperand() {
        let nan = Float.nan
        let a: [Float] = [1, -1, 0, -0.0, nan, 2, -.infinity, 3]
        let b: [Float] = [0, 2, -0.0, 0, 5, nan, -7, 3]
        // a > b ? a : b, so a NaN in either lane and a +0/-0 tie give b.
        let expected: [Float] = [1, 2, -0.0, 0, 5, nan, -7, 3]
        let eight = max8(vector8(a), vector8(b))
        let sixteen = max16(vector16(a + a), vector16(b + b))
        for lane in 0..<8 {
            XCTAssertEqual(eight[lane].bitPattern, expected[lane].bitPattern, "max8 lane \(lane)")
            XCTAssertEqual(sixteen[lane].bitPattern, expected[lane].bitPattern, "max16 lane \(lane)")
            XCTAssertEqual(sixteen[lane + 8].bitPattern, expected[lane].bitPattern, "max16 lane \(lane + 8)")
        }
    }

    func testReLUGivesPositiveZeroForNegativeZeroAndNaN() {
        let v: [Float] = [-3, -0.0, 0, .nan, 2.5, -.infinity, .infinity, .leastNonzeroMagnitude]
        let expected: [Float] = [0, 0, 0, 0, 2.5, 0, .infinity, .leastNonzeroMagnitude]
        let eight = relu8(vector8(v)), sixteen = relu16(vector16(v + v))
        for lane in 0..<8 {
            XCTAssertEqual(eight[lane].bitPattern, expected[lane].bitPattern, "relu8 lane \(lane)")
            XCTAssertEqual(sixteen[lane + 8].bitPattern, expected[lane].bitPattern, "relu16 lane \(lane + 8)")
        }
    }

    func testPassWherePositiveKeepsTheValueOnlyWhereTheGateIsPositive() {
        let gate: [Float] = [1, 0, -0.0, -1, .nan, .leastNonzeroMagnitude, .infinity, 2]
        let v: [Float] = [-0.0, 5, 5, 5, 5, -3, .nan, 7]
        let expected: [Float] = [-0.0, 0, 0, 0, 0, -3, .nan, 7]
        let eight = passWherePositive8(vector8(gate), vector8(v))
        let sixteen = passWherePositive16(vector16(gate + gate), vector16(v + v))
        for lane in 0..<8 {
            XCTAssertEqual(eight[lane].bitPattern, expected[lane].bitPattern, "lane \(lane)")
            XCTAssertEqual(sixteen[lane].bitPattern, expected[lane].bitPattern, "lane \(lane)")
        }
    }

    func testRunningArgmaxKeepsTheFirstMaximumOfAWindow() {
        // Candidates scanned in order; lane 0 has a tie (first wins), lane 1 rises, lane 2 falls.
        let candidates: [[Float]] = [[2, 0, 9, 1, 1, 1, 1, 1], [2, 5, 3, 1, 1, 1, 1, 1], [1, 7, 4, 1, 1, 1, 1, 3]]
        var best8 = vector8(candidates[0]), which8 = SIMD8<Int32>()
        var best16 = vector16(candidates[0] + candidates[0]), which16 = SIMD16<Int32>()
        for (index, candidate) in candidates.enumerated().dropFirst() {
            let v8 = vector8(candidate), v16 = vector16(candidate + candidate)
            which8 = argmaxIndex8(best8, which8, v8, Int32(index)); best8 = max8(best8, v8)
            which16 = argmaxIndex16(best16, which16, v16, Int32(index)); best16 = max16(best16, v16)
        }
        let expected: [Int32] = [0, 2, 0, 0, 0, 0, 0, 2]
        XCTAssertEqual(which8, SIMD8(expected))
        XCTAssertEqual(which16, SIMD16(expected + expected))
        XCTAssertEqual(best8, SIMD8<Float>([2, 7, 9, 1, 1, 1, 1, 3]))
    }

    func testReleasedValueIsReadBackWithAcquire() {
        var word = 0
        engine_store_release(&word, 42)
        XCTAssertEqual(engine_load_acquire(&word), 42)
    }
}
