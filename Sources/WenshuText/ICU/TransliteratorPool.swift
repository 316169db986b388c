import CICUShim
import Foundation
import WenshuCore

/// A pool of ICU transliterators of one ID. An ICU transliterator must not be used by two
/// threads at once, so each call borrows an instance from the pool (creating one when all
/// are busy) and returns it afterwards; the pool itself is guarded by a lock.
final class TransliteratorPool: @unchecked Sendable {
    let id: String
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []

    /// Opens one instance at once so that a bad ID fails here, not on the first document.
    init(id: String) throws {
        self.id = id
        idle.append(try Self.open(id))
    }

    deinit {
        for t in idle { wsh_transliterator_close(t) }
    }

    private static func open(_ id: String) throws -> OpaquePointer {
        let units = Array(id.utf16)
        var error: Int32 = 0
        guard let t = units.withUnsafeBufferPointer({ wsh_transliterator_open($0.baseAddress, Int32($0.count), &error) }) else {
            throw WenshuError(.icu.transliterator, "cannot open ICU transliterator '\(id)'", stage: .config,
                              cause: wsh_error_name(error).map { String(cString: $0) })
        }
        return t
    }

    /// Transliterates a run of scalars with a borrowed instance.
    func transliterate(_ scalars: ArraySlice<Unicode.Scalar>) throws -> [Unicode.Scalar] {
        lock.lock()
        let borrowed = idle.popLast()
        lock.unlock()
        let t = try borrowed ?? Self.open(id)
        defer { lock.lock(); idle.append(t); lock.unlock() }

        let src = UTF16Text(scalars).units
        var capacity = src.count * 2 + 16
        while true {
            var buffer = src + [UInt16](repeating: 0, count: capacity - src.count)
            var length = Int32(src.count)
            let rc = buffer.withUnsafeMutableBufferPointer { wsh_transliterate(t, $0.baseAddress, &length, Int32(capacity)) }
            if rc == WSH_BUFFER_TOO_SMALL { capacity *= 2; continue }
            if rc < 0 { throw icuError(rc, .icu.transliterate, stage: .normalize) }
            return UTF16Text.scalars(buffer[0..<Int(length)])
        }
    }
}
