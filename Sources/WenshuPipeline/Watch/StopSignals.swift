import Foundation
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM and SIGINT into a flag the watch loop checks between documents,
/// so the document in hand is finished and committed before the loop returns.
/// Uses `DispatchSource` signal sources (the default action is set to ignore while
/// installed, and restored by `uninstall`).
public final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var which: Int32 = 0
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32]

    public init(signals: [Int32] = [SIGTERM, SIGINT]) { self.signals = signals }

    /// Starts listening.
    public func install() {
        for sig in signals {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { [weak self] in self?.request(sig) }
            src.resume()
            sources.append(src)
        }
    }

    /// Stops listening and restores the default actions.
    public func uninstall() {
        for s in sources { s.cancel() }
        sources.removeAll()
        for sig in signals { signal(sig, SIG_DFL) }
    }

    /// Asks the loop to stop (as a signal would).
    public func request(_ sig: Int32 = 0) {
        lock.lock(); flag = true; which = sig; lock.unlock()
    }

    /// Whether a stop was asked for.
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    /// The signal that asked (0 when asked by code).
    public var signalNumber: Int32 { lock.lock(); defer { lock.unlock() }; return which }
}
