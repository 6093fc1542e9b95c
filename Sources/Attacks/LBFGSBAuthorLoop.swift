/// The reverse-communication loop of the author's `lbfgsb/lbfgsb.lua` (`lbfgsb.eval`), step
/// for step:
///
///     task = START, count = 0
///     repeat
///         if task is FG* or START: w = x; f, g = feval(w); count += 1
///         setulb(...)
///     until (task is neither FG* nor NEW_X) or count == maxEvaluations
///
/// so the evaluation at START is counted (the Fortran code then asks for the same point again as
/// FG_START), the cap can stop the loop inside a line search, and the result is the LAST
/// EVALUATED point w with its f, not the best iterate.
func runAuthorLoop(start: [Double], lower: [Double], upper: [Double], nbd: [Int32], settings: LBFGSBSettings,
                   evaluate: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double) -> LBFGSBResult {
    let n = start.count
    var solver = SetulbWorkspace(variables: n, memory: settings.memory)
    var x = start, g = [Double](repeating: 0, count: n), f = 0.0
    var evaluated = start, evaluatedF = Double.nan
    var count = 0
    var task = "START"
    solver.setTask(task)
    while true {
        if task.hasPrefix("FG") || task.hasPrefix("START") {
            evaluated = x
            f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { evaluate(xp, $0) } }
            evaluatedF = f
            count += 1
        }
        solver.call(x: &x, f: &f, g: &g, lower: lower, upper: upper, nbd: nbd, settings: settings)
        task = solver.task
        let running = task.hasPrefix("FG") || task.hasPrefix("NEW_X")
        if !running {
            return LBFGSBResult(x: evaluated, f: evaluatedF, stop: LBFGSBStop(task: task),
                                iterations: solver.iterations, evaluations: count)
        }
        if count == settings.maxEvaluations {
            return LBFGSBResult(x: evaluated, f: evaluatedF, stop: .evaluationLimit,
                                iterations: solver.iterations, evaluations: count)
        }
    }
}
