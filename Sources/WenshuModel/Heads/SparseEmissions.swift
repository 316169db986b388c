import Foundation
import WenshuCore
import WenshuTensor

/// The sparse emission path of CRF taggers: what CRFsuite feeds its emissions with, inside
/// our model. Every position of a text fires one indicator feature per template (below),
/// hashed into `buckets` rows of a table [buckets x K]; the position's emission scores get
/// the sum of its features' rows added to the dense part (encoder vectors x W + b). The
/// table is trained jointly with the CRF (lazy Adam on the touched rows, `Gradients.addRow`)
/// and saved as float16 (`Parameter.halfPrecision`).
///
/// Templates, offsets relative to the position: unigrams at -2, -1, 0, 1, 2; bigrams
/// (-2,-1), (-1,0), (0,1), (1,2); the trigram (-1,0,1). Characters are folded first
/// (`CharFolding`, digits as "0"); offsets before the text read a begin marker and after it
/// an end marker. Features are local, so a sentence window gives the same rows as the whole
/// text away from the window's edges.
public enum SparseEmissions {
    /// The templates: character offsets around the position.
    public static let templates: [[Int]] = [[-2], [-1], [0], [1], [2], [-2, -1], [-1, 0], [0, 1], [1, 2], [-1, 0, 1]]
    /// Features per position (one per template).
    public static var featuresPerPosition: Int { templates.count }
    /// The tensor name of each CRF layer's table (after the layer's prefix).
    public static let tableName = "emission_table"
    /// The largest table allowed (rows).
    public static let maxBuckets = 1 << 22
    /// Markers outside Unicode's range for offsets before and after the text.
    static let beginMarker: UInt32 = 0x11_0000, endMarker: UInt32 = 0x11_0001

    /// Table rows of every feature of every position: [length x featuresPerPosition], row-major
    /// (position t's features are `rows[t * F ..< (t + 1) * F]`). Empty when `buckets` < 1.
    ///
    /// Hash: 64-bit FNV-1a over the template number and the folded scalar values (4 bytes each,
    /// little-endian), then SplitMix64's finaliser, modulo `buckets`; stable across runs and
    /// machines.
    public static func rows(_ text: [Unicode.Scalar], buckets: Int) -> [Int32] {
        let T = text.count, F = templates.count
        guard buckets > 0, T > 0 else { return [] }
        let c = CharFolding.fold(text, digits: true)
        let B = UInt64(buckets)
        var out = [Int32](repeating: 0, count: T * F)
        for t in 0..<T {
            for (f, offsets) in templates.enumerated() {
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                @inline(__always) func mix(_ v: UInt32) {
                    var x = v
                    for _ in 0..<4 { h = (h ^ UInt64(x & 0xFF)) &* 0x100_0000_01B3; x >>= 8 }
                }
                mix(UInt32(f))
                for o in offsets {
                    let i = t + o
                    mix(i < 0 ? beginMarker : i >= T ? endMarker : c[i])
                }
                h ^= h >> 30; h = h &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 27; h = h &* 0x94D0_49BB_1331_11EB
                h ^= h >> 31
                out[t * F + f] = Int32(truncatingIfNeeded: h % B)
            }
        }
        return out
    }

    /// Adds the table rows of each position's features to emissions [T x K].
    static func add(rows: [Int32], table: Parameter, to emissions: inout [Float], length T: Int, tags K: Int) {
        let F = templates.count
        guard rows.count == T * F, table.rowSize == K else { return }
        table.value.withUnsafeBufferPointer { w in emissions.withUnsafeMutableBufferPointer { o in
            for t in 0..<T {
                let dst = o.baseAddress! + t * K
                for f in 0..<F {
                    let src = w.baseAddress! + Int(rows[t * F + f]) * K
                    for k in 0..<K { dst[k] += src[k] }
                }
            }
        } }
    }

    /// Accumulates the table's gradient: each feature's row gets its position's dL/d emissions.
    static func backward(rows: [Int32], table: Parameter, dEmissions: [Float], length T: Int, tags K: Int, into g: Gradients) {
        let F = templates.count
        guard rows.count == T * F, table.rowSize == K, dEmissions.count == T * K, g.has(table) else { return }
        dEmissions.withUnsafeBufferPointer { d in
            for t in 0..<T {
                for f in 0..<F { g.addRow(table, row: rows[t * F + f], d.baseAddress! + t * K, scale: 1) }
            }
        }
    }
}
