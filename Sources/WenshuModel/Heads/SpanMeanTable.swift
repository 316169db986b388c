import Foundation

/// Prefix sums of an encoded text's character vectors, so the mean vector of any span
/// costs O(width) instead of O(span length x width). Link and pair scoring at inference
/// takes means over many (anchor, candidate) pairs and the text between them; without
/// the table a long judgment made that quadratic in its length. Sums are kept in Double
/// so differences of large prefixes stay exact to Float precision.
final class SpanMeanTable {
    let length: Int
    let width: Int
    /// [(length + 1) x width]: row t holds the sum of vectors 0..<t.
    private var prefix: [Double]

    init(_ e: EncodedText) {
        length = e.length; width = e.width
        prefix = [Double](repeating: 0, count: (e.length + 1) * e.width)
        let H = width
        e.vectors.withUnsafeBufferPointer { v in prefix.withUnsafeMutableBufferPointer { p in
            for t in 0..<length {
                let src = t * H, prev = t * H, next = (t + 1) * H
                for j in 0..<H { p[next + j] = p[prev + j] + Double(v[src + j]) }
            }
        } }
    }

    /// Mean of the vectors in `r` (clamped); zeros for an empty range.
    func mean(_ r: Range<Int>) -> [Float] {
        var m = [Float](repeating: 0, count: width)
        let lo = max(0, r.lowerBound), hi = min(length, r.upperBound)
        if hi <= lo { return m }
        let inv = 1 / Double(hi - lo)
        let H = width
        prefix.withUnsafeBufferPointer { p in
            for j in 0..<H { m[j] = Float((p[hi * H + j] - p[lo * H + j]) * inv) }
        }
        return m
    }
}
