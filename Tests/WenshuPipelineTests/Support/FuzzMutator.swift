import Foundation

// The byte mutators of `MutationFuzzTests`: generic damage for any file, tag damage for
// markup, bracket damage for JSON, central-directory and local-header damage for ZIP (DOCX),
// all drawn from a seeded `SplitMix64` so every run makes the same mutants.

/// SplitMix64: a small deterministic generator (the same mutants on every run and machine).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0).
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

enum MutationKind {
    case text, markup, json, zip

    static func of(name: String, bytes: [UInt8]) -> MutationKind {
        if bytes.starts(with: [0x50, 0x4B]) { return .zip }
        let ext = (name as NSString).pathExtension.lowercased()
        if ["xml", "html", "htm"].contains(ext) { return .markup }
        if ["json", "jsonl"].contains(ext) { return .json }
        return .text
    }
}

enum Mutator {
    /// One mutant of `bytes` and the name of the operator that made it.
    static func mutate(_ bytes: [UInt8], kind: MutationKind, rng: inout SplitMix64) -> (String, [UInt8]) {
        var b = bytes
        // Half the mutants use a format-aware operator, the rest a generic one; some stack two.
        let rounds = 1 + (rng.int(4) == 0 ? 1 : 0)
        var names: [String] = []
        for _ in 0..<rounds {
            let specific = rng.int(2) == 0
            let name: String
            switch (specific, kind) {
            case (true, .markup): name = markup(&b, &rng)
            case (true, .json): name = json(&b, &rng)
            case (true, .zip): name = zip(&b, &rng)
            default: name = generic(&b, &rng)
            }
            names.append(name)
        }
        return (names.joined(separator: "+"), b)
    }

    static func generic(_ b: inout [UInt8], _ rng: inout SplitMix64) -> String {
        let n = b.count
        switch rng.int(9) {
        case 0:
            for _ in 0..<(1 + rng.int(8)) where !b.isEmpty { b[rng.int(b.count)] ^= UInt8(1 + rng.int(255)) }
            return "byte-flip"
        case 1:
            // Truncate, preferably inside a multi-byte sequence (at a byte >= 0x80).
            let high = b.indices.filter { b[$0] >= 0x80 }
            let at = !high.isEmpty && rng.int(3) > 0 ? rng.pick(high) : rng.int(n + 1)
            b.removeSubrange(min(at, n)...)
            return "truncate@\(at)"
        case 2:
            for _ in 0..<(1 + rng.int(4)) { b.insert(0, at: rng.int(b.count + 1)) }
            return "insert-nul"
        case 3:
            guard n > 0 else { return "noop" }
            let s = rng.int(n), len = min(n - s, 1 + rng.int(256))
            let chunk = Array(b[s..<(s + len)])
            b.insert(contentsOf: chunk, at: rng.int(b.count + 1))
            return "duplicate-chunk"
        case 4:
            guard n > 0 else { return "noop" }
            let s = rng.int(n), len = min(n - s, 1 + rng.int(256))
            b.removeSubrange(s..<(s + len))
            return "remove-chunk"
        case 5:
            let junk: [[UInt8]] = [[0xFF], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                   [0xE4, 0xB8], [0xFE, 0xFF], [0xFF, 0xFE], [0x0D], [0x1B], [0xEF, 0xBB, 0xBF],
                                   [0x81, 0x30], [0xA1], [0xF8, 0x88, 0x80, 0x80, 0x80]]
            b.insert(contentsOf: rng.pick(junk), at: rng.int(b.count + 1))
            return "insert-bad-sequence"
        case 6:
            let boms: [[UInt8]] = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00]]
            b.insert(contentsOf: rng.pick(boms), at: 0)
            return "prepend-bom"
        case 7:
            // Drop one byte: shifts every later code unit (odd-length UTF-16, split GBK pairs).
            if n > 0 { b.remove(at: rng.int(n)) }
            return "drop-byte"
        default:
            // Replace a run with repeated structure characters or line breaks.
            guard n > 0 else { return "noop" }
            let s = rng.int(n), len = min(n - s, 1 + rng.int(64))
            let filler: UInt8 = rng.pick([0x0A, 0x0D, 0x20, 0x22, 0x7B, 0x3C, 0x26, 0x5C])
            b.replaceSubrange(s..<(s + len), with: [UInt8](repeating: filler, count: len))
            return "overwrite-run"
        }
    }

    static func markup(_ b: inout [UInt8], _ rng: inout SplitMix64) -> String {
        let lt = b.indices.filter { b[$0] == 0x3C }, gt = b.indices.filter { b[$0] == 0x3E }
        switch rng.int(7) {
        case 0:
            if let i = lt.isEmpty ? nil : rng.pick(lt) { b.remove(at: i) }
            return "drop-<"
        case 1:
            if let i = gt.isEmpty ? nil : rng.pick(gt) { b.remove(at: i) }
            return "drop->"
        case 2:
            let bits = ["<", "</", "<x", "</p>", "<p", "&", "&amp", "&#xD800;", "&#0;", "&#x110000;", "&nbsp;", "&undefined;",
                        "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\" encoding=\"Big5\"?>",
                        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
                        "<!ENTITY x SYSTEM \"file:///etc/passwd\">", "<script>", "<style>", "<br>", "<table><tr><td>",
                        "\" ", "='", "xmlns:w=\"x\""]
            b.insert(contentsOf: Array(rng.pick(bits).utf8), at: rng.int(b.count + 1))
            return "insert-markup"
        case 3:
            // Cut inside a tag.
            if let i = lt.isEmpty ? nil : rng.pick(lt) { b.removeSubrange(min(i + 1 + rng.int(4), b.count)...) }
            return "truncate-in-tag"
        case 4:
            // Remove a whole element's closing tag.
            let closes = b.indices.filter { b[$0] == 0x3C && $0 + 1 < b.count && b[$0 + 1] == 0x2F }
            if let i = closes.isEmpty ? nil : rng.pick(closes), let j = b[i...].firstIndex(of: 0x3E) { b.removeSubrange(i...j) }
            return "drop-close-tag"
        case 5:
            // Deep nesting.
            let depth = 100 + rng.int(5000)
            b.insert(contentsOf: Array(String(repeating: "<d>", count: depth).utf8), at: lt.first.map { b[$0...].firstIndex(of: 0x3E).map { $0 + 1 } ?? $0 } ?? 0)
            return "nest-\(depth)"
        default:
            // Change the declared encoding.
            let s = String(decoding: b, as: UTF8.self)
            for enc in ["GBK", "gbk", "UTF-8", "utf-8", "GB2312", "gb2312"] where s.contains(enc) {
                if let r = b.firstRange(of: Array(enc.utf8)) {
                    b.replaceSubrange(r, with: Array(rng.pick(["UTF-16", "Big5", "x-bogus", "ISO-8859-1", "UTF-8", "GB18030"]).utf8))
                }
                return "change-encoding"
            }
            return generic(&b, &rng)
        }
    }

    static func json(_ b: inout [UInt8], _ rng: inout SplitMix64) -> String {
        let structural: Set<UInt8> = [0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x2C, 0x3A]
        let positions = b.indices.filter { structural.contains(b[$0]) }
        switch rng.int(6) {
        case 0:
            if let i = positions.isEmpty ? nil : rng.pick(positions) { b.remove(at: i) }
            return "drop-structural"
        case 1:
            let c: UInt8 = rng.pick([0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x2C, 0x3A, 0x5C])
            b.insert(c, at: positions.isEmpty ? rng.int(b.count + 1) : rng.pick(positions))
            return "insert-structural"
        case 2:
            let bits = ["\\u", "\\uD800", "\\uDC00\\uD800", "\\u0000", "\\", "1e999999", "-", "123456789012345678901234567890",
                        "null", "true", "[]", "{}", "\"fact\":[1,2]", "\"fact\":\"\"", "\"source\":\"{\\\"Html\\\":1}\"",
                        "\"s1\":", "\n", "\r\n", "\u{2028}"]
            b.insert(contentsOf: Array(rng.pick(bits).utf8), at: positions.isEmpty ? rng.int(b.count + 1) : rng.pick(positions))
            return "insert-token"
        case 3:
            let depth = 100 + rng.int(20000)
            b.insert(contentsOf: Array((String(repeating: "[", count: depth) + String(repeating: "]", count: rng.int(2) == 0 ? depth : 0)).utf8),
                     at: positions.isEmpty ? 0 : rng.pick(positions))
            return "nest-\(depth)"
        case 4:
            // Swap a value's type: the text after a colon becomes a number/array/object.
            let colons = b.indices.filter { b[$0] == 0x3A }
            if let i = colons.isEmpty ? nil : rng.pick(colons) {
                b.insert(contentsOf: Array(rng.pick(["0,\"x\":", "[", "{", "null,\"y\":"]).utf8), at: i + 1)
            }
            return "retype-value"
        default:
            // Join or split lines.
            let nl = b.indices.filter { b[$0] == 0x0A }
            if let i = nl.isEmpty ? nil : rng.pick(nl) { b.remove(at: i) } else { b.insert(0x0A, at: rng.int(b.count + 1)) }
            return "join-lines"
        }
    }

    static func zip(_ b: inout [UInt8], _ rng: inout SplitMix64) -> String {
        func find(_ sig: [UInt8]) -> [Int] {
            guard b.count >= 4 else { return [] }
            return (0...(b.count - 4)).filter { b[$0] == sig[0] && b[$0 + 1] == sig[1] && b[$0 + 2] == sig[2] && b[$0 + 3] == sig[3] }
        }
        func put(_ at: Int, _ width: Int, _ value: UInt64) {
            for k in 0..<width where at + k < b.count { b[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        }
        let wild: [UInt64] = [0, 1, 0xFF, 0xFFFF, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, UInt64(b.count), UInt64(b.count + 1)]
        switch rng.int(5) {
        case 0:
            // End of central directory: entry counts, size, offset, comment length.
            guard let eocd = find([0x50, 0x4B, 0x05, 0x06]).last else { return generic(&b, &rng) }
            let field = rng.pick([(8, 2), (10, 2), (12, 4), (16, 4), (20, 2)])
            put(eocd + field.0, field.1, rng.int(2) == 0 ? rng.pick(wild) : rng.next())
            return "eocd@\(field.0)"
        case 1:
            // A central directory header: method, sizes, name/extra/comment lengths, local offset.
            let cds = find([0x50, 0x4B, 0x01, 0x02])
            guard !cds.isEmpty else { return generic(&b, &rng) }
            let at = rng.pick(cds)
            let field = rng.pick([(10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (30, 2), (32, 2), (42, 4)])
            put(at + field.0, field.1, rng.int(2) == 0 ? rng.pick(wild) : rng.next())
            return "central@\(field.0)"
        case 2:
            // A local file header: method, sizes, name and extra lengths.
            let lfs = find([0x50, 0x4B, 0x03, 0x04])
            guard !lfs.isEmpty else { return generic(&b, &rng) }
            let at = rng.pick(lfs)
            let field = rng.pick([(8, 2), (18, 4), (22, 4), (26, 2), (28, 2)])
            put(at + field.0, field.1, rng.int(2) == 0 ? rng.pick(wild) : rng.next())
            return "local@\(field.0)"
        case 3:
            // Truncate inside the central directory.
            let cds = find([0x50, 0x4B, 0x01, 0x02])
            guard let first = cds.first else { return generic(&b, &rng) }
            let at = first + rng.int(max(1, b.count - first))
            b.removeSubrange(at...)
            return "truncate-central@\(at)"
        default:
            // Corrupt compressed data between the first local header and the central directory.
            let end = find([0x50, 0x4B, 0x01, 0x02]).first ?? b.count
            guard end > 40 else { return generic(&b, &rng) }
            for _ in 0..<(1 + rng.int(6)) { b[30 + rng.int(end - 30)] ^= UInt8(1 + rng.int(255)) }
            return "deflate-damage"
        }
    }
}
