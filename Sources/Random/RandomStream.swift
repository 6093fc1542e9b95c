/// Seeded random numbers for the study: xoshiro256** (Blackman & Vigna, 2018), seeded through
/// SplitMix64 as its authors recommend.
///
/// Every stage draws from its own *named stream*, derived from the root seed and the stream's
/// name, so that changing how much one stage draws never reshuffles another stage.
public struct RandomStream: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A stream seeded directly from a 64-bit value (state filled by SplitMix64).
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    /// The stream called `name` under `rootSeed`: seed = SplitMix64 finaliser of
    /// (rootSeed XOR FNV-1a(name)), so streams with different names are unrelated.
    public init(rootSeed: UInt64, name: String) {
        self.init(seed: SplitMix64.mix(rootSeed ^ fnv1a64(name)))
    }

    /// A child stream, e.g. `stream.child("seed-3")`, keyed by this stream's seed and a name.
    public func child(_ name: String) -> RandomStream {
        RandomStream(seed: SplitMix64.mix(s.0 ^ fnv1a64(name) ^ s.3.rotated(17)))
    }

    /// xoshiro256**: result = rotl(s1 * 5, 7) * 9.
    public mutating func next() -> UInt64 {
        let result = (s.1 &* 5).rotated(7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3.rotated(45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * nextFloat()
    }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(truncatingIfNeeded: next(upperBound: UInt64(bound)))
    }

    /// Standard normal by Box-Muller (deterministic, one value per two uniforms).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextDouble(), 0x1.0p-53)
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Fisher-Yates shuffle of `array` in place.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood, 2014): the seeding generator for xoshiro.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// FNV-1a, 64-bit: a fixed, platform-independent hash of a stream's name.
func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

extension UInt64 {
    fileprivate func rotated(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
private func _log(_ x: Double) -> Double { Darwin.log(x) }
private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
