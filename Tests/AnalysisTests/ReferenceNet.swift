import Engine

/// A deliberately plain Double-precision copy of the network for tests: the forward pass with
/// its masks and switches, and each layer as an explicit matrix (rows = outputs).
struct ReferenceNet {
    let a: Architecture
    let w: [Double]
    let x: [Double]
    var z1: [Double] = [], s1: [Int] = [], z2: [Double] = [], s2: [Int] = [], z3: [Double] = []
    // Explicit linear maps.
    var normalise: [[Double]] = [], conv1: [[Double]] = [], pool1: [[Double]] = []
    var conv2: [[Double]] = [], pool2: [[Double]] = [], fc1: [[Double]] = []

    init(model: Model, pixels: [Float]) { self.init(model: model, x: pixels.map(Double.init)) }

    init(model: Model, x: [Double]) {
        a = model.architecture
        w = model.parameters.map(Double.init)
        self.x = x
        let side = a.inputSide, n = Double(model.normalisation.std), mean = Double(model.normalisation.mean)
        normalise = matrix(side * side, a.pixels)
        // Every padded pixel is an input: input[i] = (x[i] - mean) / std.
        var input = [Double](repeating: 0, count: side * side)
        for i in 0..<side * side {
            normalise[i][i] = 1 / n
            input[i] = (x[i] - mean) / n
        }
        conv1 = convMatrix(in: 1, side: side, out: a.conv1Channels, weights: a.conv1WeightOffset)
        z1 = apply(conv1, input, bias: a.conv1BiasOffset, perUnit: a.conv1Side * a.conv1Side)
        (pool1, s1) = poolMatrix(z1.map { max($0, 0) }, channels: a.conv1Channels, side: a.conv1Side, size: a.pool1)
        conv2 = convMatrix(in: a.conv1Channels, side: a.pool1Side, out: a.conv2Channels, weights: a.conv2WeightOffset)
        z2 = apply(conv2, multiply(pool1, z1.map { max($0, 0) }), bias: a.conv2BiasOffset, perUnit: a.conv2Side * a.conv2Side)
        (pool2, s2) = poolMatrix(z2.map { max($0, 0) }, channels: a.conv2Channels, side: a.conv2Side, size: a.pool2)
        fc1 = (0..<a.hidden).map { o in (0..<a.flatSize).map { w[a.fc1WeightOffset + o * a.flatSize + $0] } }
        z3 = apply(fc1, multiply(pool2, z2.map { max($0, 0) }), bias: a.fc1BiasOffset, perUnit: 1)
    }

    func halfSquaredActivation(_ layer: UnitLayer, unit: Int) -> Double {
        let z = layer == .conv2 ? z2 : z3, size = a.unitSize(of: layer)
        return (unit * size..<(unit + 1) * size).map { max(z[$0], 0) * max(z[$0], 0) / 2 }.reduce(0, +)
    }

    /// J^T-style back-projection of unit `unit`'s own activation.
    func project(layer: UnitLayer, unit: Int, rule: ReLURule) -> [Double] {
        let size = a.unitSize(of: layer)
        let z = layer == .conv2 ? z2 : z3
        var s = z.indices.map { $0 / size == unit ? max(z[$0], 0) : 0 }
        func relu(_ s: [Double], _ z: [Double]) -> [Double] {
            zip(s, z).map { rule == .forwardMask ? ($1 > 0 ? $0 : 0) : max($0, 0) }
        }
        if layer == .fc {
            s = multiply(transpose(pool2), multiply(transpose(fc1), relu(s, z3)))
        }
        s = multiply(transpose(pool1), multiply(transpose(conv2), relu(s, z2)))
        return multiply(transpose(normalise), multiply(transpose(conv1), relu(s, z1)))
    }

    func convMatrix(in channels: Int, side: Int, out: Int, weights: Int) -> [[Double]] {
        let k = a.kernel, o = side - k + 1
        var m = matrix(out * o * o, channels * side * side)
        for c in 0..<out { for y in 0..<o { for x in 0..<o { for i in 0..<channels {
            for ky in 0..<k { for kx in 0..<k {
                m[(c * o + y) * o + x][(i * side + y + ky) * side + x + kx] = w[weights + ((c * channels + i) * k + ky) * k + kx]
            } }
        } } } }
        return m
    }

    func poolMatrix(_ v: [Double], channels: Int, side: Int, size: Int) -> ([[Double]], [Int]) {
        let o = side / size
        var m = matrix(channels * o * o, v.count), switches: [Int] = []
        for c in 0..<channels { for py in 0..<o { for px in 0..<o {
            var best = -1
            for dy in 0..<size { for dx in 0..<size {
                let i = (c * side + py * size + dy) * side + px * size + dx
                if best < 0 || v[i] > v[best] { best = i }
            } }
            m[(c * o + py) * o + px][best] = 1
            switches.append(best)
        } } }
        return (m, switches)
    }

    func apply(_ m: [[Double]], _ v: [Double], bias: Int, perUnit: Int) -> [Double] {
        multiply(m, v).enumerated().map { $1 + w[bias + $0 / perUnit] }
    }
}

func matrix(_ rows: Int, _ columns: Int) -> [[Double]] {
    [[Double]](repeating: [Double](repeating: 0, count: columns), count: rows)
}

func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] {
    m.map { row in zip(row, v).map(*).reduce(0, +) }
}

func transpose(_ m: [[Double]]) -> [[Double]] {
    guard let first = m.first else { return [] }
    return (0..<first.count).map { j in m.map { $0[j] } }
}
