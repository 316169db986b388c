import Foundation
import XCTest
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Each crash window of `InboxWatcher`'s commit, reached for certain: the child
/// SIGKILLs itself at that point of its second batch (fail point `watch.kill_at`),
/// then a restart must leave every file's line exactly once.
final class WatchCrashWindowTests: XCTestCase {
    typealias S = WatchTestSupport

    private func runWindow(_ point: String, expectRecovery: String?) throws {
        let root = try S.tempFolder("crash-\(point)")
        let inbox = root + "/收件 箱"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 10)
        let excerpts = try S.excerpts()
        var expected: [String: Bool] = [:]
        for i in 0..<48 {
            let bad = i % 4 == 1
            let bytes = bad ? try S.badBytes(i) : Array("案 \(i)\n\(excerpts[i % excerpts.count])\n".utf8)
            expected[SHA256Hasher.hex(bytes)] = !bad
            S.write(bytes, to: inbox + "/doc \(i).txt")
        }
        let log = root + "/watch.log"
        let out = root + "/out"
        let first = try S.startWatch([pipeline, "--once"], env: ["WENSHU_FAILPOINTS": "watch.kill_at=\(point):2"], stderrPath: log)
        S.wait(first, seconds: 30)
        XCTAssertEqual(first.terminationReason, .uncaughtSignal, "\(point): the child should have killed itself")
        XCTAssertEqual(first.terminationStatus, SIGKILL)
        if point == "torn" {
            let tails = try ["results", "errors"].map { name -> UInt8? in
                let p = out + "/\(name)-\(DailyDay.today).jsonl"
                return FileManager.default.fileExists(atPath: p) ? try Data(contentsOf: URL(fileURLWithPath: p)).last : 0x0A
            }
            XCTAssertTrue(tails.contains { $0 != 0x0A }, "the torn case must leave a partial line before the restart")
        }
        // What a reader could have seen after the crash: the whole lines of each stream.
        func streams() -> [String: Data] {
            var out: [String: Data] = [:]
            for n in (try? FileManager.default.contentsOfDirectory(atPath: out_)) ?? [] where n.hasSuffix(".jsonl") {
                out[n] = FileManager.default.contents(atPath: out_ + "/" + n)
            }
            return out
        }
        let out_ = out
        let seen = streams().mapValues { d -> Data in
            guard let nl = d.lastIndex(of: 0x0A) else { return Data() }
            return d.prefix(through: nl)
        }
        let second = try S.startWatch([pipeline, "--once"], stderrPath: log)
        S.wait(second, seconds: 30)
        // `watch --once` exits 1 when a file it took failed (the bad files among those left), 0 otherwise.
        XCTAssertEqual(second.terminationReason, .exit, "\(point): the restart must end by itself")
        XCTAssertTrue([0, 1].contains(second.terminationStatus), "\(point): exit \(second.terminationStatus)")

        let after = streams()
        for (name, before) in seen {
            XCTAssertTrue(after[name]?.starts(with: before) == true,
                          "\(point): \(name): a line visible after the crash was taken back")
        }
        var count: [String: Int] = [:]
        let errors = S.lines(out, prefix: "errors")
        for l in S.lines(out, prefix: "results") { count[S.sha(of: l) ?? "", default: 0] += 1; XCTAssertEqual(expected[S.sha(of: l) ?? ""], true) }
        for l in errors { count[S.sha(of: l) ?? "", default: 0] += 1; XCTAssertEqual(expected[S.sha(of: l) ?? ""], false) }
        XCTAssertEqual(Set(count.keys), Set(expected.keys), "\(point): every file has a line")
        XCTAssertEqual(count.values.filter { $0 != 1 }.count, 0, "\(point): no file has two lines")
        let left = S.files(under: inbox)
        XCTAssertTrue(left.allSatisfy { $0.hasPrefix("done/") || $0.hasPrefix("failed/") }, "\(point): \(left)")
        XCTAssertEqual(left.count, 48)
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertFalse(logText.contains("rolled back"), "\(point): nothing should need a rollback: \(logText)")
        if let expectRecovery {
            XCTAssertTrue(logText.contains(expectRecovery), "\(point): log lacks '\(expectRecovery)': \(logText)")
        } else {
            XCTAssertFalse(logText.contains("recovery:"), "\(point): nothing to recover: \(logText)")
        }
    }

    /// W2: intent recorded, nothing written.
    func testKilledAfterIntent() throws { try runWindow("intent", expectRecovery: "recovery: completed 16") }
    /// W2: half of the batch's result bytes written (a torn line): the files whose lines
    /// are whole are kept, the rest completed (the torn line finished, not rewritten).
    func testKilledMidWrite() throws { try runWindow("torn", expectRecovery: "recovery: completed") }
    /// W2: results written, errors not yet.
    func testKilledBetweenStreams() throws { try runWindow("results", expectRecovery: "recovery: completed") }
    /// W3: all bytes written and fsynced, not yet committed: adopted, not written again.
    func testKilledBeforeCommit() throws { try runWindow("written", expectRecovery: "recovery: kept 16") }
    /// W4: committed, files not yet moved: moved on restart, no second line.
    func testKilledBeforeMove() throws { try runWindow("committed", expectRecovery: nil) }
}

extension WatchCrashWindowTests {
    /// W2 when completing is impossible: the files were rewritten between the crash and the
    /// restart, so their lines cannot be regenerated. The streams are cut back (the torn line
    /// goes), the rows forgotten, and the new contents processed: no partial line, no content twice.
    func testRollbackWhenFilesChangedBeforeRestart() throws {
        let root = try S.tempFolder("crash-changed")
        let inbox = root + "/收件 箱"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 10)
        let excerpts = try S.excerpts()
        for i in 0..<12 { S.write(Array("案 \(i)\n\(excerpts[i])\n".utf8), to: inbox + "/doc \(i).txt") }
        let log = root + "/watch.log", out = root + "/out"
        let first = try S.startWatch([pipeline, "--once"], env: ["WENSHU_FAILPOINTS": "watch.kill_at=torn:1"], stderrPath: log)
        S.wait(first, seconds: 30)
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        var current: Set<String> = []
        for i in 0..<12 {
            let bytes = Array("改 \(i)\n\(excerpts[(i + 1) % excerpts.count])\n".utf8)
            current.insert(SHA256Hasher.hex(bytes))
            S.write(bytes, to: inbox + "/doc \(i).txt")
        }
        let second = try S.startWatch([pipeline, "--once"], stderrPath: log)
        S.wait(second, seconds: 30)
        XCTAssertEqual(second.terminationStatus, 0)
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertTrue(logText.contains("recovery: rolled back"), logText)
        let shas = S.lines(out, prefix: "results").compactMap(S.sha(of:))
        XCTAssertEqual(Set(shas).count, shas.count, "no content twice")
        XCTAssertTrue(current.isSubset(of: Set(shas)), "every current file has its line")
        XCTAssertEqual(S.files(under: inbox).filter { $0.hasPrefix("done/") }.count, 12)
    }
}

enum DailyDay {
    static var today: String {
        var t = time(nil); var tmv = tm(); localtime_r(&t, &tmv)
        return String(format: "%04d-%02d-%02d", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
    }
}
