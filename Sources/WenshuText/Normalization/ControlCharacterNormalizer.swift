import WenshuCore

/// Removes control characters (Unicode Cc) except tab and newline. A carriage return
/// followed by a newline is dropped; a lone carriage return becomes a newline. The
/// deleted characters are absorbed by their neighbours in the alignment.
public struct ControlCharacterNormalizer: Normalizer {
    public let step: NormalizationStep = .controlCharacters
    public init() {}

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        for (i, s) in src.enumerated() {
            let v = s.value
            if v == 0x0A || v == 0x09 || (v >= 0x20 && v < 0x7F) || (v > 0x9F) { b.keep(s, at: i); continue }
            if v == 0x0D {
                if i + 1 < src.count, src[i + 1] == "\n" { b.drop(at: i) } else { b.substitute("\n", at: i) }
                continue
            }
            b.drop(at: i)
        }
        return b.finish(from: input)
    }
}
