import COpenBLAS

/// Process-wide OpenBLAS settings.
public enum BLAS {
    /// Sets the number of OpenBLAS threads. Wenshu runs documents in parallel and keeps
    /// BLAS at one thread (see NATIVE.md: two BLAS threads lose when the machine is busy).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// The current number of OpenBLAS threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
