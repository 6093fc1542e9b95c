import Formatting
/// Figure 5's input: a real first-layer kernel over a real digit, as the net sees it.
public struct ConvolutionExample: Codable, Equatable, Sendable {
    /// The input the convolution reads, row-major `inputSide` x `inputSide` (e.g. the digit padded to
    /// 32 x 32 and normalised).
    public var input: [Float]
    public var inputSide: Int
    /// What `input` is, for the caption (e.g. "a 7 from the training set, zero-padded to 32×32, normalised").
    public var inputDescription: String
    /// The kernel, row-major `kernelSide` x `kernelSide`, and its bias.
    public var kernel: [Float]
    public var kernelSide: Int
    public var bias: Float
    /// Which conv1 channel the kernel is.
    public var channel: Int
    /// Top-left corner of the highlighted patch (= the highlighted output cell).
    public var patchRow: Int
    public var patchColumn: Int

    public init(input: [Float], inputSide: Int, inputDescription: String, kernel: [Float], kernelSide: Int = 5,
                bias: Float, channel: Int, patchRow: Int, patchColumn: Int) {
        self.input = input; self.inputSide = inputSide; self.inputDescription = inputDescription
        self.kernel = kernel; self.kernelSide = kernelSide; self.bias = bias; self.channel = channel
        self.patchRow = patchRow; self.patchColumn = patchColumn
    }

    var outputSide: Int { inputSide - kernelSide + 1 }

    /// The patch under the kernel at output (row, column).
    func patch(_ row: Int, _ column: Int) -> [Float] {
        (0..<(kernelSide * kernelSide)).map { input[(row + $0 / kernelSide) * inputSide + column + $0 % kernelSide] }
    }

    /// z[i,j] = Σ_{u,v} k[u,v] x[i+u, j+v] + b (cross-correlation, as Torch's conv layers).
    func output() -> [Float] {
        (0..<(outputSide * outputSide)).map { o in
            zip(patch(o / outputSide, o % outputSide), kernel).reduce(bias) { $0 + $1.0 * $1.1 }
        }
    }
}

/// Figure 5: convolution as a sweeping product: the highlighted patch of the input times the
/// kernel, summed with the bias, gives one cell of the output map.
public func figure5Convolution(_ input: ConvolutionExample) throws -> Figure {
    let check = Check(figure: "figure 5")
    try check.count(input.input, input.inputSide * input.inputSide, "input")
    try check.count(input.kernel, input.kernelSide * input.kernelSide, "kernel")
    try check.finite(input.input + input.kernel + [input.bias], "input, kernel and bias")
    try check.that(input.kernelSide >= 1 && input.kernelSide <= 7 && input.outputSide >= 1, "kernel side \(input.kernelSide) must be 1-7 and fit the input")
    try check.that((0..<input.outputSide).contains(input.patchRow) && (0..<input.outputSide).contains(input.patchColumn),
                   "patch (\(input.patchRow), \(input.patchColumn)) lies outside the \(input.outputSide)×\(input.outputSide) output")
    let output = input.output()
    let patch = input.patch(input.patchRow, input.patchColumn)
    let k = input.kernelSide, n = input.inputSide, m = input.outputSide
    let value = output[input.patchRow * m + input.patchColumn]
    let product = value - input.bias
    let inputMap = ColourMap(name: "ink", stops: [.white, .black], lower: Double(input.input.min() ?? 0),
                             upper: Double(input.input.max() ?? 1))
    let kernelMap = ColourMap.diverging(fitting: input.kernel)
    let outputMap = ColourMap.diverging(fitting: output)
    let drawing = Drawing(width: 900, height: 296) { canvas in
        let top = 30.0, side = 232.0
        // input with the patch outlined
        let inputRect = Rect(x: 20, y: top, width: side, height: side).pixelSquare(pixels: n)
        canvas.image(ScalarImage(square: input.input), in: inputRect, map: inputMap, frame: .ink)
        canvas.text("input x (\(n)×\(n))", at: Point(inputRect.midX, inputRect.minY - 8), font: .title, h: .center, v: .bottom)
        let cell = inputRect.width / Double(n)
        let patchRect = Rect(x: inputRect.minX + Double(input.patchColumn) * cell, y: inputRect.minY + Double(input.patchRow) * cell,
                             width: Double(k) * cell, height: Double(k) * cell)
        // the patch and the kernel, enlarged, with their values
        let zoom = 26.0
        let patchZoom = Rect(x: 300, y: top + 26, width: zoom * Double(k), height: zoom * Double(k))
        let kernelZoom = Rect(x: patchZoom.maxX + 40, y: patchZoom.minY, width: patchZoom.width, height: patchZoom.height)
        canvas.line(Point(patchRect.maxX, patchRect.minY), Point(patchZoom.minX, patchZoom.minY), Colour.highlight, width: 0.8)
        canvas.line(Point(patchRect.maxX, patchRect.maxY), Point(patchZoom.minX, patchZoom.maxY), Colour.highlight, width: 0.8)
        canvas.stroke(patchRect, Colour.highlight, width: 1.5)
        for (rect, values, map, title) in [(patchZoom, patch, inputMap, "patch of x"),
                                           (kernelZoom, input.kernel, kernelMap, "kernel k (conv1 #\(input.channel))")] {
            canvas.image(ScalarImage(rows: k, columns: k, values: values), in: rect, map: map, frame: .ink)
            for (i, v) in values.enumerated() {
                let c = map.colour(Double(v))
                let dark = 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue < 0.5
                canvas.text(cellLabel(Double(v)), at: Point(rect.minX + (Double(i % k) + 0.5) * zoom, rect.minY + (Double(i / k) + 0.5) * zoom),
                            font: Font(size: 7), colour: dark ? .white : .ink, h: .center, v: .middle)
            }
            canvas.text(title, at: Point(rect.midX, rect.minY - 8), font: .title, h: .center, v: .bottom)
        }
        canvas.stroke(patchZoom, Colour.highlight, width: 1.5)
        canvas.text("⊙", at: Point((patchZoom.maxX + kernelZoom.minX) / 2, patchZoom.midY), font: Font(size: 20), h: .center, v: .middle)
        let formulaY = patchZoom.maxY + 30
        canvas.math("z_{ij} = Σ_{uv} k_{uv} x_{i+u, j+v} + b", at: Point(kernelZoom.minX - 20, formulaY), size: 12, h: .center, v: .middle)
        canvas.text(resultLine(product: product, bias: input.bias, value: value),
                    at: Point(kernelZoom.minX - 20, formulaY + 22), font: .label, h: .center, v: .middle)
        canvas.text("elementwise product, summed, plus bias", at: Point(kernelZoom.minX - 20, formulaY + 44),
                    font: .tick, colour: .muted, h: .center, v: .middle)
        // output map with the cell
        let outputRect = Rect(x: 636, y: top, width: 200, height: side).pixelSquare(pixels: m)
        canvas.image(ScalarImage(square: output), in: outputRect, map: outputMap, frame: .ink)
        canvas.text("output z (\(m)×\(m), before ReLU)", at: Point(outputRect.midX, outputRect.minY - 8), font: .title, h: .center, v: .bottom)
        let outCell = outputRect.width / Double(m)
        let cellRect = Rect(x: outputRect.minX + Double(input.patchColumn) * outCell, y: outputRect.minY + Double(input.patchRow) * outCell,
                            width: outCell, height: outCell)
        let resultText = resultLine(product: product, bias: input.bias, value: value)
        let resultEnd = kernelZoom.minX - 20 + canvas.textWidth(resultText, .label) / 2
        canvas.polyline([Point(resultEnd + 6, formulaY + 22), Point(outputRect.minX - 14, formulaY + 22),
                         Point(outputRect.minX - 14, cellRect.midY)], Colour.highlight, width: 1)
        canvas.arrow(Point(outputRect.minX - 14, cellRect.midY), Point(cellRect.minX - 1, cellRect.midY), colour: Colour.highlight, width: 1)
        canvas.stroke(cellRect.inset(-1), Colour.highlight, width: 1.5)
        canvas.colourBar(outputMap, in: Rect(x: outputRect.maxX + 10, y: outputRect.minY, width: 8, height: outputRect.height), label: "z")
        canvas.text("one value per kernel position: \(m)×\(m) = \(m * m)", at: Point(outputRect.midX, outputRect.maxY + 8),
                    font: .tick, colour: .muted, h: .center, v: .top)
    }
    let caption = "Convolution as a sweeping product, with conv1 kernel #\(input.channel) of the trained base net over "
        + "\(input.inputDescription). The \(k)×\(k) patch at row \(input.patchRow), column \(input.patchColumn) is multiplied "
        + "elementwise by the kernel and summed: \(Format.fixed(Double(product), 3, minus: .typographic)); with the bias \(Format.fixed(Double(input.bias), 3, minus: .typographic)) "
        + "this gives z = \(Format.fixed(Double(value), 3, minus: .typographic)), the highlighted cell of the \(m)×\(m) output map (blue negative, "
        + "red positive, white zero; ReLU then zeroes the negative cells)."
    return Figure(number: 5, name: "figure05-convolution", drawing: drawing, caption: caption, data: try figureJSON(input))
}

/// "= Σ + b = z" with the bias's sign written as an operator.
func resultLine(product: Float, bias: Float, value: Float) -> String {
    "= \(Format.fixed(Double(product), 3, minus: .typographic)) \(bias < 0 ? "−" : "+") \(Format.fixed(Double(abs(bias)), 3, minus: .typographic)) = \(Format.fixed(Double(value), 3, minus: .typographic))"
}

/// A compact cell label: 2 decimals, or 1 when the magnitude is 10 or more.
func cellLabel(_ v: Double) -> String { Format.fixed(v, abs(v) >= 9.995 ? 1 : 2, minus: .typographic) }
