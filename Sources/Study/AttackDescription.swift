import Attacks

extension AttackSettings {
    /// The C search in one sentence, from the settings.
    var searchDescription: String {
        let stop = growthStop == .originalClass ? "until the prediction returns to the original class" : "until a run fails"
        let final = finalC == .laggedLowerBound
            ? "final run from r = 0 at the bisection's lower bound before its last update (lags one step; 0 if no earlier bisection run succeeded)"
            : "final run from r = 0 at the largest successful C"
        let counting = wrapper == .authorLua
            ? "evaluations counted as lbfgsb.lua counts them (the START evaluation included), the last evaluated point returned"
            : "evaluations as the Fortran code asks for them, the last accepted iterate returned"
        return "C = \(initialC), times \(Int(growth)) with warm start \(stop) (C_fail; at most \(maxGrowthRuns) runs), \(bisectionRuns) bisection runs on [0, C_fail] from r = 0, \(final); \(counting)"
    }

    /// What r perturbs, in which units.
    var domainDescription: String {
        switch domain {
        case .paddedNormalised:
            return "r over all 32x32 padded pixels in normalised units ((x - mean) / std), each pixel kept in [0, 1]; penalty C ||r||^2 in those units"
        case .interiorPixels:
            return "r over the 784 image pixels in [0, 1] pixel units (border fixed), each pixel kept in [0, 1]; penalty C ||r||^2 in pixel units"
        }
    }
}
