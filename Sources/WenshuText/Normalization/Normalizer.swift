import WenshuCore

/// One normalization step: maps a normalized text to a new normalized text and keeps the
/// alignment back to the extracted text. Implementations build the alignment of their own
/// change (new scalars -> input scalars) with `AlignedBuilder` and compose it with the
/// input's alignment, so a chain of steps always maps back to the extracted text.
public protocol Normalizer: Sendable {
    /// The step's name as written in pipeline YAML.
    var step: NormalizationStep { get }
    /// Applies the step.
    func normalize(_ input: NormalizedText) throws -> NormalizedText
}

/// Builds a normalized scalar sequence together with, for each new scalar, the range of
/// input scalars it came from.
struct AlignedBuilder {
    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    /// Whether anything differs from the input (fast path for unchanged texts).
    private(set) var changed = false

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
        for s in output { scalars.append(s); starts.append(range.lowerBound); ends.append(range.upperBound) }
    }

    /// Emits one scalar for input scalar `i` that differs from it.
    mutating func substitute(_ scalar: Unicode.Scalar, at i: Int) {
        changed = true
        scalars.append(scalar); starts.append(i); ends.append(i + 1)
    }

    /// Drops input scalar `i`.
    mutating func drop(at i: Int) { changed = true }

    /// The result: the step's own alignment composed onto the input's.
    func finish(from input: NormalizedText) -> NormalizedText {
        if !changed { return input }
        let own = Alignment(sourceStart: starts, sourceEnd: ends, sourceLength: input.text.count)
        return NormalizedText(text: ScalarText(scalars: scalars),
                              alignment: input.alignment.composed(with: own), source: input.source)
    }
}

/// Character classes the normalizers share.
enum CharClass {
    /// CJK ideographs (unified, extensions, compatibility) and the CJK symbol and
    /// full-width punctuation blocks: characters between which a space is layout, not text.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x323AF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x3000...0x303F).contains(v) || (0xFF01...0xFF0F).contains(v)
            || (0xFF1A...0xFF20).contains(v) || (0xFF3B...0xFF40).contains(v) || (0xFF5B...0xFF65).contains(v)
            || v == 0x201C || v == 0x201D || v == 0x2018 || v == 0x2019 || v == 0x2026 || v == 0x00B7
            || (0x3100...0x312F).contains(v) || (0x31A0...0x31BF).contains(v)
    }

    /// Chinese punctuation a legal reader expects to keep as written:
    /// ，。：；！？（）《》“”‘’、…【】〔〕— and full-width ～.
    static let chinesePunctuation: Set<UInt32> = [
        0xFF0C, 0x3002, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF08, 0xFF09, 0x300A, 0x300B, 0x3008, 0x3009,
        0x201C, 0x201D, 0x2018, 0x2019, 0x3001, 0x2026, 0x3010, 0x3011, 0x3014, 0x3015, 0x2014, 0x300C,
        0x300D, 0x300E, 0x300F,
    ]

    static func isChinesePunctuation(_ s: Unicode.Scalar) -> Bool { chinesePunctuation.contains(s.value) }
}
