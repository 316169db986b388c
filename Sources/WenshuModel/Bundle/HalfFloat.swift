/// IEEE 754 binary16 ("half", safetensors dtype F16) conversions done on the bits, so they
/// behave the same on every platform (Swift's `Float16` is missing on Intel macOS).
public enum HalfFloat {
    /// The binary16 value of `bits` as a Float (exact: every half is a float). NaN payloads are kept.
    public static func float(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24.
            let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// The binary16 bits nearest to `value`, ties to even; beyond ±65504 (from ±65520 on) the
    /// result is ±infinity, below 2^-24 / 2 it is a signed zero, NaN stays a (quiet) NaN.
    public static func bits(_ value: Float) -> UInt16 {
        let x = value.bitPattern
        let sign = UInt16((x >> 16) & 0x8000)
        let magnitude = x & 0x7FFF_FFFF
        if magnitude > 0x7F80_0000 { return sign | 0x7E00 | UInt16((magnitude >> 13) & 0x03FF) }  // NaN
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }                                     // overflow, infinity
        if magnitude < 0x3880_0000 {
            // Below the smallest normal half (2^-14): a multiple of 2^-24, rounded to even.
            // 1024 * 2^-24 rounds up into the smallest normal, whose bits are exactly 0x0400.
            let scaled = Float(bitPattern: magnitude) * 16_777_216.0
            return sign | UInt16(scaled.rounded(.toNearestOrEven))
        }
        let exponent = (magnitude >> 23) - 112
        let mantissa = magnitude & 0x007F_FFFF
        var half = (exponent << 10) | (mantissa >> 13)
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
}
