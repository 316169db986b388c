import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps OpenBLAS at one thread: Wenshu runs documents in parallel on its own worker
/// threads, and BLAS threads on a busy machine only slow that down (see NATIVE.md).
public enum BLASThreads {
    /// Calls `openblas_set_num_threads(n)` when OpenBLAS is loaded in the process.
    /// Returns whether it was found.
    @discardableResult
    public static func set(_ n: Int32) -> Bool {
        setenv("OPENBLAS_NUM_THREADS", String(n), 0)
        guard let handle = dlopen(nil, RTLD_NOW),
              let sym = dlsym(handle, "openblas_set_num_threads") else { return false }
        typealias Fn = @convention(c) (Int32) -> Void
        unsafeBitCast(sym, to: Fn.self)(n)
        return true
    }
}
