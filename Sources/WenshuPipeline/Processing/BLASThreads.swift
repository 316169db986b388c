import Foundation
import WenshuTensor

/// Keeps OpenBLAS at one thread: Wenshu runs documents in parallel on its own worker
/// threads, and BLAS threads on a busy machine only slow that down (see NATIVE.md).
public enum BLASThreads {
    /// Sets the BLAS thread count through WenshuTensor's `BLAS.setThreads`.
    public static func set(_ n: Int) {
        BLAS.setThreads(n)
    }
}
