#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), by the continued
/// fraction of Numerical Recipes (section 6.4) evaluated with the modified Lentz method; the
/// symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps x on the side where it converges fast.
public func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0 (got \(a), \(b))")
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    // front = x^a (1 - x)^b / B(a, b)
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
}

/// The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) with
/// d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)), d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300, epsilon = 1e-15
    var c = 1.0, d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
        let m = Double(m), m2 = 2 * m
        for numerator in [m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))] {
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
        }
        if abs(d * c - 1) < epsilon { break }
    }
    return h
}
