import Foundation
import WenshuCore

/// The deterministic train/dev split used by `wenshu train`, `wenshu eval` and the peer
/// benchmark: an example is in dev when `fnv1a64(UTF-8 bytes of its id) % 10 == 0`
/// (FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3, xor then multiply
/// modulo 2^64). About 10% of examples land in dev, independent of file order.
/// Benchmarks/peers/run_peers.py implements the same function in Python.
public enum DevSplit {
    /// FNV-1a 64-bit hash of `bytes`.
    public static func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// Whether the example with this id belongs to the dev split.
    public static func isDev(id: String) -> Bool { fnv1a64(Array(id.utf8)) % 10 == 0 }

    /// Splits examples into (train, dev) by id.
    public static func split(_ examples: [LabelledExample]) -> (train: [LabelledExample], dev: [LabelledExample]) {
        var train: [LabelledExample] = [], dev: [LabelledExample] = []
        for e in examples { if isDev(id: e.id) { dev.append(e) } else { train.append(e) } }
        return (train, dev)
    }
}
