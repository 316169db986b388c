import WenshuCore

/// Traditional to simplified Chinese with ICU's `Traditional-Simplified` transliterator.
/// It converts character by character, so each run of non-ASCII text is converted at once
/// and, when the run keeps its length (the normal case), scalar i maps to scalar i; when a
/// run changes length the run is converted again one character at a time, so every output
/// maps to the character it came from. Safe to share between threads (pooled instances).
/// docs/TEXT.md compares it with OpenCC on real sentences.
///
/// Two corrections to ICU's table, found on the shared data: characters that are standard
/// simplified characters but that ICU rewrites (俱->具 in 俱乐部, 著->着 in 显著, 藉->借 in 狼藉,
/// 跤->交 in 摔跤, 瞭->了 in 瞭望, 垵, 搥, 搧) are kept; traditional variants ICU leaves
/// alone (嶽 峯) are mapped to 岳 峰 as OpenCC does.
public final class TraditionalToSimplifiedNormalizer: Normalizer, @unchecked Sendable {
    public let step: NormalizationStep = .traditionalToSimplified
    private let pool: TransliteratorPool

    /// Simplified characters ICU would wrongly rewrite: kept as they are.
    public static let keep: Set<Unicode.Scalar> = Set("俱著藉跤垵搥搧瞭".unicodeScalars)
    /// Traditional variants missing from ICU's table.
    public static let extra: [Unicode.Scalar: Unicode.Scalar] = ["嶽": "岳", "峯": "峰"]

    public init() throws { pool = try TransliteratorPool(id: "Traditional-Simplified") }

    @inline(__always) private func passesThrough(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x2E80 || Self.keep.contains(s) || Self.extra[s] != nil
    }

    /// Converts a plain string (no alignment), for comparisons and tools.
    public func convert(_ text: String) throws -> String {
        try normalize(NormalizedText(unchanged: text)).string
    }

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        var i = 0
        while i < src.count {
            if passesThrough(src[i]) {
                if let e = Self.extra[src[i]] { b.substitute(e, at: i) } else { b.keep(src[i], at: i) }
                i += 1; continue
            }
            var j = i + 1
            while j < src.count, !passesThrough(src[j]), j - i < 4096 { j += 1 }
            let out = try pool.transliterate(src[i..<j])
            if out.count == j - i {
                for k in 0..<out.count {
                    if out[k] == src[i + k] { b.keep(out[k], at: i + k) } else { b.substitute(out[k], at: i + k) }
                }
            } else {
                for k in i..<j {
                    let one = try pool.transliterate(src[k..<(k + 1)])
                    if one.count == 1 && one[0] == src[k] { b.keep(src[k], at: k) } else { b.replace(k..<(k + 1), with: one) }
                }
            }
            i = j
        }
        return b.finish(from: input)
    }
}
