import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Shows progress: a one-line bar redrawn on stderr when it is a terminal (documents,
/// rate, ETA, failures), periodic log lines through swift-log when it is not.
public final class ProgressReporter: @unchecked Sendable {
    public enum Mode: Sendable { case auto, bar, log, off }
    private let lock = NSLock()
    private let isTTY: Bool
    private let enabled: Bool
    private let logger: Logger
    private let interval: Double
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastLog = Date()
    private var totalBytes: Int64
    private var readBytes: Int64 = 0
    private var done = 0
    private var failed = 0
    private var skipped = 0
    private let label: String

    public init(label: String, mode: Mode, totalBytes: Int64, logInterval: Double, logger: Logger) {
        self.label = label
        switch mode {
        case .auto: isTTY = isatty(2) != 0; enabled = true
        case .bar: isTTY = true; enabled = true
        case .log: isTTY = false; enabled = true
        case .off: isTTY = false; enabled = false
        }
        self.totalBytes = max(1, totalBytes)
        self.interval = logInterval
        self.logger = logger
    }

    /// Counts a committed batch (and the input bytes it completes, for the ETA) and
    /// redraws or logs when due.
    public func add(done d: Int, failed f: Int, skipped s: Int, bytes: Int64 = 0) {
        lock.lock()
        done += d; failed += f; skipped += s; readBytes += bytes
        let now = Date()
        var line: String?
        var log: String?
        if enabled && isTTY && now.timeIntervalSince(lastDraw) > 0.1 {
            lastDraw = now; line = render(now)
        } else if enabled && !isTTY && now.timeIntervalSince(lastLog) >= interval {
            lastLog = now; log = render(now)
        }
        lock.unlock()
        if let line { FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8)) }
        if let log { logger.info("\(log)") }
    }

    /// Clears the bar line.
    public func finish() {
        if enabled && isTTY { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func render(_ now: Date) -> String {
        let elapsed = max(0.001, now.timeIntervalSince(start))
        let rate = Double(done + failed) / elapsed
        let frac = min(1, Double(readBytes) / Double(totalBytes))
        let eta = frac > 0.01 ? elapsed * (1 - frac) / frac : .nan
        let width = 24
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
        let etaText = eta.isNaN ? "--:--" : String(format: "%d:%02d", Int(eta) / 60, Int(eta) % 60)
        let pct = String(format: "%3.0f%%", frac * 100)
        let r = String(format: "%.1f", rate)
        return "\(label) [\(bar)] \(pct) \(done + failed) docs, \(r) docs/s, ETA \(etaText), \(failed) failed, \(skipped) skipped"
    }
}
