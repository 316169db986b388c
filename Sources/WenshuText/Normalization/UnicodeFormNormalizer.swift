import CICUShim
import WenshuCore

/// NFC or NFKC through ICU, applied segment by segment between normalization boundaries so
/// that every output scalar maps to the input segment it came from (exact alignment).
/// With `protectChinesePunctuation`, NFKC leaves （），：；！？… as written (NFKC would
/// otherwise turn them into ASCII).
public struct UnicodeFormNormalizer: Normalizer {
    public let step: NormalizationStep
    public let protectChinesePunctuation: Bool
    private let form: Int32

    /// `step` must be `.nfc` or `.nfkc`.
    public init(step: NormalizationStep, protectChinesePunctuation: Bool = true) throws {
        switch step {
        case .nfc: form = Int32(WSH_NFC)
        case .nfkc: form = Int32(WSH_NFKC)
        default: throw WenshuError(.text.badStep, "UnicodeFormNormalizer handles nfc and nfkc, not \(step.rawValue)", stage: .config)
        }
        self.step = step; self.protectChinesePunctuation = protectChinesePunctuation
    }

    /// Scalars that are stable under NFC and NFKC and never combine with what follows:
    /// printable ASCII and the CJK unified ideographs without asking ICU, else ICU's
    /// inertness (unorm2_isInert).
    @inline(__always) private func isStable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (0x20...0x7E).contains(v) || (0x4E00...0x9FFF).contains(v) || v == 0x0A { return true }
        return ICUNormalization.isInert(s, form: form)
    }

    private func isProtected(_ s: Unicode.Scalar) -> Bool {
        protectChinesePunctuation && CharClass.isChinesePunctuation(s)
    }

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        var i = 0
        while i < src.count {
            let s = src[i]
            if isProtected(s) { b.keep(s, at: i); i += 1; continue }
            // A segment runs from i to the next scalar with a boundary before it.
            var j = i + 1
            while j < src.count, !isStable(src[j]), !isProtected(src[j]),
                  !ICUNormalization.hasBoundaryBefore(src[j], form: form) { j += 1 }
            if j == i + 1, isStable(s) { b.keep(s, at: i); i = j; continue }
            let out = try ICUNormalization.normalize(src[i..<j], form: form)
            if out.elementsEqual(src[i..<j]) {
                for k in i..<j { b.keep(src[k], at: k) }
            } else if out.count == 1, j == i + 1 {
                b.substitute(out[0], at: i)
            } else {
                // Every output scalar maps to the whole segment: exact, since segments are
                // independent under normalization.
                b.replace(i..<j, with: out)
            }
            i = j
        }
        return b.finish(from: input)
    }
}
