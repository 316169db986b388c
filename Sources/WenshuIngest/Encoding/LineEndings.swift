/// Line-ending normalization: CRLF and lone CR become LF. Offsets Wenshu reports refer to the
/// text after this step.
enum LineEndings {
    /// UTF-8 (or any ASCII-compatible) bytes with CRLF/CR made LF.
    static func toLF(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(buf.count)
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b == 0x0D {
                out.append(0x0A)
                if i + 1 < n && buf[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    /// UTF-16 units with CRLF/CR made LF, in place.
    static func toLF(_ units: inout [UInt16]) {
        guard units.contains(0x0D) else { return }
        let kept = units.withUnsafeMutableBufferPointer { p -> Int in
            var w = 0
            var i = 0
            let n = p.count
            while i < n {
                let u = p[i]
                if u == 0x0D {
                    p[w] = 0x0A
                    if i + 1 < n && p[i + 1] == 0x0A { i += 1 }
                } else {
                    p[w] = u
                }
                w += 1
                i += 1
            }
            return w
        }
        units.removeSubrange(kept...)
    }
}
