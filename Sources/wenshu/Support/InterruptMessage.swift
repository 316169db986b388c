import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `wenshu run` on SIGINT (Ctrl-C) or SIGTERM: one line on stderr saying what happened and
/// that a rerun resumes (the journal keeps every committed part; the run is safe to kill at
/// any point), then exit 128 + the signal (130, 143), as a shell reports a killed job.
enum InterruptMessage {
    nonisolated(unsafe) static var sigint: [UInt8] = []
    nonisolated(unsafe) static var sigterm: [UInt8] = []

    static func install() {
        sigint = Array("\nwenshu: interrupted (SIGINT): the results committed so far are kept; run the same command again to resume\n".utf8)
        sigterm = Array("\nwenshu: stopped (SIGTERM): the results committed so far are kept; run the same command again to resume\n".utf8)
        signal(SIGINT) { _ in
            InterruptMessage.sigint.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
            _exit(130)
        }
        signal(SIGTERM) { _ in
            InterruptMessage.sigterm.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
            _exit(143)
        }
    }
}
