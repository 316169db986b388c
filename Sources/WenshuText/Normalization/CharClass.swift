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
    /// ，。：；！？（）《》〈〉“”‘’、…【】〔〕—「」『』.
    @inline(__always) static func isChinesePunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        guard v >= 0x2014 else { return false }
        switch v {
        case 0xFF0C, 0x3002, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF08, 0xFF09, 0x300A, 0x300B, 0x3008, 0x3009,
             0x201C, 0x201D, 0x2018, 0x2019, 0x3001, 0x2026, 0x3010, 0x3011, 0x3014, 0x3015, 0x2014, 0x300C,
             0x300D, 0x300E, 0x300F: return true
        default: return false
        }
    }
}
