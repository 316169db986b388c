import CICUShim
import WenshuCore

/// Turns an ICU status code returned by the shim into a WenshuError.
/// `code` is the catalogue code of the operation (`.icu.normalize`, `.icu.break`, `.icu.transliterate`).
func icuError(_ status: Int32, _ code: ErrorCode, stage: Stage) -> WenshuError {
    let name = wsh_error_name(status).map { String(cString: $0) } ?? "\(status)"
    let what = code.rawValue.dropFirst("icu.".count)
    return WenshuError(code, "ICU \(what) failed: \(name)", stage: stage, cause: name)
}
