import Foundation

/// Named fail points for tests, in the spirit of Rust's fail-rs: one environment variable,
/// `WENSHU_FAILPOINTS="name=value;name=value"`, sets them for a child process, and in-process
/// tests may register a callback. Compiled only into debug builds: in a release build every
/// point is off and costs nothing.
///
/// Points used by Wenshu:
/// - `document.slow_ms=N`: sleep N ms before each document (kill tests land mid-run).
/// - `document.crash_marker=S`: a document (or inbox file) whose text holds S kills the process,
///   as a stage running out of memory would.
/// - `watch.pause_ms=N`: sleep N ms at the watcher's commit pauses (widens crash windows).
/// - `watch.kill_at=POINT:N`: SIGKILL at POINT (intent, torn, results, written, committed) of batch N.
public enum FailPoints {
    #if DEBUG
    nonisolated(unsafe) private static var values: [String: String] = parse(ProcessInfo.processInfo.environment["WENSHU_FAILPOINTS"] ?? "")
    nonisolated(unsafe) private static var callbacks: [String: @Sendable () -> Void] = [:]
    private static let lock = NSLock()

    static func parse(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        for item in s.split(separator: ";") {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, !kv[0].isEmpty { out[kv[0]] = kv[1] }
        }
        return out
    }
    #endif

    /// The value of point `name`, or nil when it is off (always nil in release builds).
    public static func value(_ name: String) -> String? {
        #if DEBUG
        lock.lock(); defer { lock.unlock() }
        return values[name].flatMap { $0.isEmpty ? nil : $0 }
        #else
        return nil
        #endif
    }

    /// Sleeps the milliseconds point `name` holds, after running its callback if one is set.
    public static func pause(_ name: String) {
        #if DEBUG
        lock.lock(); let cb = callbacks[name]; lock.unlock()
        cb?()
        if let ms = value(name).flatMap({ Int($0) }), ms > 0 { usleep(useconds_t(ms) * 1000) }
        #endif
    }

    /// Sets point `name` (nil turns it off) and its callback, for in-process tests.
    public static func set(_ name: String, _ value: String?, callback: (@Sendable () -> Void)? = nil) {
        #if DEBUG
        lock.lock(); values[name] = value; callbacks[name] = callback; lock.unlock()
        #endif
    }
}
