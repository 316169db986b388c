import WenshuCore

/// Builds a normalized scalar sequence together with, for each new scalar, the range of
/// input scalars it came from.
struct AlignedBuilder {
    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    /// Whether anything differs from the input (fast path for unchanged texts).
    private(set) var changed = false
    /// Whether output scalar i still comes from input scalar i alone (substitutions only):
    /// then the input's alignment is kept as it is, without composing.
    private(set) var positionPreserving = true

    init(capacity: Int) {
        scalars.reserveCapacity(capacity); starts.reserveCapacity(capacity); ends.reserveCapacity(capacity)
    }

    /// Keeps input scalar `i` as it is.
    mutating func keep(_ scalar: Unicode.Scalar, at i: Int) {
        scalars.append(scalar); starts.append(i); ends.append(i + 1)
    }

    /// Emits `output` for the input range `range` (every new scalar maps to the whole range).
    mutating func replace(_ range: Range<Int>, with output: [Unicode.Scalar]) {
        changed = true
        if !(output.count == 1 && range.count == 1 && range.lowerBound == scalars.count) { positionPreserving = false }
        for s in output { scalars.append(s); starts.append(range.lowerBound); ends.append(range.upperBound) }
    }

    /// Emits one scalar for input scalar `i` that differs from it.
    mutating func substitute(_ scalar: Unicode.Scalar, at i: Int) {
        changed = true
        scalars.append(scalar); starts.append(i); ends.append(i + 1)
    }

    /// Drops input scalar `i`.
    mutating func drop(at i: Int) { changed = true; positionPreserving = false }

    /// The result: the step's own alignment composed onto the input's.
    func finish(from input: NormalizedText) -> NormalizedText {
        if !changed { return input }
        if positionPreserving && scalars.count == input.text.count {
            return NormalizedText(text: ScalarText(scalars: scalars), alignment: input.alignment, source: input.source)
        }
        let own = Alignment(sourceStart: starts, sourceEnd: ends, sourceLength: input.text.count)
        return NormalizedText(text: ScalarText(scalars: scalars),
                              alignment: input.alignment.composed(with: own), source: input.source)
    }
}
