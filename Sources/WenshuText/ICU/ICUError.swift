import CICUShim
import WenshuCore

/// Turns an ICU status code returned by the shim into a WenshuError.
func icuError(_ code: Int32, _ what: String, stage: Stage) -> WenshuError {
    let name = wsh_error_name(code).map { String(cString: $0) } ?? "\(code)"
    return WenshuError("icu.\(what)", "ICU \(what) failed: \(name)", stage: stage, cause: name)
}
