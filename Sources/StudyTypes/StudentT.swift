/// Student's t distribution with `degreesOfFreedom` > 0.
public struct StudentT: Sendable {
    public var degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "t distribution needs positive degrees of freedom")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T <= t) = 1 - I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2 for t >= 0, by symmetry below.
    public func cdf(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// Two-sided p-value of an observed t: P(|T| >= |t|) = I_{nu / (nu + t^2)}(nu / 2, 1 / 2).
    public func twoSidedP(_ t: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        let nu = degreesOfFreedom
        return regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// The t with cdf(t) = p, by bisection (monotone cdf; 200 halvings reach Double precision).
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile needs 0 < p < 1")
        var low = -1.0, high = 1.0
        while cdf(low) > p { low *= 2 }
        while cdf(high) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if mid == low || mid == high { break }
            if cdf(mid) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
