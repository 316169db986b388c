import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The dated done/ and failed/ folders: where a finished file goes (`on_done: move`), or
/// how it is remembered where it is (`on_done: keep`).
extension InboxWatcher {
    /// Moves a finished file to its dated folder (move mode) and returns where it went;
    /// in keep mode remembers it so scans skip it.
    func dispose(_ path: String, failed: Bool, stamp: FileStamp?) -> String? {
        if options.onDone == .keep {
            if let stamp { handled[path] = stamp }
            return nil
        }
        guard FileStamp.of(path) != nil else { return nil }
        let base = (failed ? options.failedDir : options.doneDir) + "/" + DailyJSONLFile.localDay(Date())
        let rel = relative(path)
        var dest = base + "/" + rel
        let dir = (dest as NSString).deletingLastPathComponent
        guard RawPath.makeFolders(dir) else {
            status.error("cannot create \(dir): \(ErrnoError("mkdir", path: dir).reason)"); return nil
        }
        var n = 1
        while RawPath.lstatOf(dest) != nil {
            let ext = (rel as NSString).pathExtension
            let stem = ((base + "/" + rel) as NSString).deletingPathExtension
            dest = stem + ".\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
        }
        do {
            try Posix.retrying("rename", path: path) { RawPath.rename(path, dest) }
        } catch {
            let msg = "cannot move \(rel) to \(dest): \((error as? ErrnoError)?.reason ?? "\(error)")"
            log(msg); status.error(msg)
            return nil
        }
        return dest
    }
}
