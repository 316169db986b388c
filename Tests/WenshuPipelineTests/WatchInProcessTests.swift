import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// `InboxWatcher` in this process with the real processor (no model): real judgment text in,
/// result lines out, bad bytes as errors, the rescan, duplicates, the HTTP endpoint.
final class WatchInProcessTests: XCTestCase {
    typealias S = WatchTestSupport

    private func options(_ root: String, settleMs: Int = 20, rescan: Double = 0.3, onDone: WatchDisposition = .move,
                         httpPort: Int = 0) -> WatchConfiguration {
        WatchOptions(inbox: root + "/收件 箱", outputDir: root + "/out", settleMs: settleMs, rescanSeconds: rescan,
                     onDone: onDone, batch: 8, statusEveryMs: 100, httpPort: httpPort).resolved(against: "/")
    }

    /// What the background run returned.
    private final class Outcome: @unchecked Sendable {
        var summary: WatchSummary?
        var failure: Error?
    }

    /// Runs the watcher on a background thread while `body` runs, then stops it (as SIGTERM would).
    private func running(_ w: InboxWatcher, _ body: () throws -> Void) throws -> WatchSummary {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { outcome.summary = try w.run() } catch { outcome.failure = error }
            done.signal()
        }.start()
        var bodyError: Error?
        do { try body() } catch { bodyError = error }
        w.stop.request()
        done.wait()
        if let bodyError { throw bodyError }
        if let f = outcome.failure { throw f }
        return outcome.summary ?? WatchSummary()
    }

    func testTextFilesBecomeResultsAndBadBytesErrors() throws {
        let root = try S.tempFolder("inproc")
        let o = options(root)
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let excerpts = try S.excerpts()
        var written: [String: [UInt8]] = [:]
        for (i, e) in excerpts.prefix(5).enumerated() { written["判决 \(i).txt"] = Array((e + "\n").utf8) }
        written["gbk.txt"] = try S.gb18030Bytes()
        for (name, bytes) in written { S.write(bytes, to: o.inbox + "/" + name) }
        let bad = try S.badBytes(1)
        S.write(bad, to: o.inbox + "/bad.txt")
        S.write([], to: o.inbox + "/empty.txt")
        let s = try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)
        XCTAssertEqual(s.done, 6)
        XCTAssertEqual(s.failed, 2)
        let results = S.lines(o.outputDir, prefix: "results"), errors = S.lines(o.outputDir, prefix: "errors")
        // Each result names its file relative to the inbox, with the hash of its bytes.
        let sources = results.compactMap { $0["source"] as? [String: Any] }
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: sources.map { ($0["path"] as? String ?? "", $0["sha256"] as? String ?? "") }),
                       written.mapValues { SHA256Hasher.hex($0) })
        XCTAssertEqual(sources.first { $0["path"] as? String == "gbk.txt" }?["encoding"] as? String, "GB18030")
        XCTAssertEqual(Set(errors.compactMap { $0["code"] as? String }), ["file.binary", "file.empty"])
        XCTAssertEqual(Set(errors.compactMap { $0["id"] as? String }), ["bad.txt", "empty.txt"])
        XCTAssertEqual(errors.first { $0["code"] as? String == "file.binary" }.flatMap { ($0["location"] as? [String: Any])?["byte_offset"] as? Int },
                       bad.firstIndex(of: 0))
        let left = S.files(under: o.inbox)
        XCTAssertEqual(left.filter { $0.hasPrefix("done/\(DailyJSONLFile.localDay(Date()))/") }.count, 6)
        XCTAssertEqual(left.filter { $0.hasPrefix("failed/") }.count, 2)
        // Run again: nothing new, nothing written twice.
        _ = try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)
        XCTAssertEqual(S.lines(o.outputDir, prefix: "results").count, 6)
    }

    /// Through the real pipeline (ingest, text layer): a JSONL file of several records and a
    /// broken line is one unit: its records' results and the broken line's error are written
    /// together, the file moves to done/; a text judgment gets its structure.
    func testPipelineProcessorWritesEveryRecordOfAMultiDocumentFile() throws {
        let root = try S.tempFolder("pipeline")
        let inbox = root + "/收件 箱"
        let yaml = """
        inputs:
          paths: ["\(inbox)"]
        outputs:
          results: "\(root)/out/results.jsonl"
        watch:
          inbox: "\(inbox)"
          settle_ms: 10
        """
        let (spec, o) = try WatchPipelineConfig.parse(yaml: yaml, path: "test.yaml")
        let options = o.resolved(against: "/")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var records = try String(contentsOf: S.fixtures.appendingPathComponent("cail2018-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        records.insert("{\"fact\": \"被告人", at: 2) // a broken line, the third
        S.write(Array((records.joined(separator: "\n") + "\n").utf8), to: inbox + "/cail 2018.jsonl")
        S.write(Array((try S.excerpts()[0] + "\n").utf8), to: inbox + "/判决.txt")
        let s = try InboxWatcher(options: options, processor: try PipelineInboxProcessor(spec: spec)).run(once: true)
        XCTAssertEqual(s.done, 2)
        let results = S.lines(options.outputDir, prefix: "results")
        // outputs.errors defaults to results.errors.jsonl: the daily file is results.errors-YYYY-MM-DD.jsonl.
        let errors = S.lines(options.outputDir, prefix: "results.errors")
        let fromJSONL = results.filter { ($0["source"] as? [String: Any])?["path"] as? String == "cail 2018.jsonl" }
        XCTAssertEqual(fromJSONL.count, 3)
        XCTAssertEqual(Set(fromJSONL.compactMap { ($0["source"] as? [String: Any])?["line"] as? Int }), [1, 2, 4])
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual((errors.first?["location"] as? [String: Any])?["line"] as? Int, 3)
        XCTAssertEqual((errors.first?["source"] as? [String: Any])?["path"] as? String, "cail 2018.jsonl")
        let judgment = results.first { ($0["source"] as? [String: Any])?["path"] as? String == "判决.txt" }
        let caseNumber = (judgment?["document"] as? [String: Any])?["case_number"] as? [String: Any]
        XCTAssertNotNil(caseNumber?["text"] as? String, "the text layer found the case number")
        XCTAssertEqual(Set(S.files(under: inbox).map { ($0 as NSString).lastPathComponent }), ["cail 2018.jsonl", "判决.txt"])
        XCTAssertTrue(S.files(under: inbox).allSatisfy { $0.hasPrefix("done/") })
    }

    /// A file hard-linked in raises no close or move event: the periodic rescan finds it.
    /// The same content dropped again under another name is a duplicate, not a second line.
    func testRescanFindsFilesWithoutEventsAndDuplicatesAreNotWrittenTwice() throws {
        let root = try S.tempFolder("rescan")
        let o = options(root, rescan: 0.3)
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let text = Array((try S.excerpts()[4] + "\n").utf8)
        S.write(text, to: root + "/outside.txt")
        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        let s = try running(w) {
            usleep(100_000)
            XCTAssertEqual(link(root + "/outside.txt", o.inbox + "/linked.txt"), 0)
            XCTAssertTrue(S.waitUntil(seconds: 5) { S.lines(o.outputDir, prefix: "results").count == 1 })
            S.write(text, to: o.inbox + "/copy of linked.txt")
            XCTAssertTrue(S.waitUntil(seconds: 5) { S.files(under: o.inbox).count == 2 && !FileManager.default.fileExists(atPath: o.inbox + "/copy of linked.txt") })
        }
        XCTAssertEqual(s.done, 1)
        XCTAssertEqual(s.duplicates, 1)
        XCTAssertEqual(S.lines(o.outputDir, prefix: "results").count, 1)
        XCTAssertGreaterThanOrEqual(w.status.snapshot().rescans, 1)
    }

    /// While the watcher is busy, more events arrive than the kernel queue holds: the
    /// overflow triggers a rescan, and the files whose events were lost are still taken.
    func testQueueOverflowLeadsToARescanThatFindsLostFiles() throws {
        let limitText = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8)) ?? ""
        guard let limit = Int(limitText.trimmingCharacters(in: .whitespacesAndNewlines)), limit <= 20_000 else {
            throw XCTSkip("max_queued_events is \(limitText); overflowing it would take too long here")
        }
        let root = try S.tempFolder("overflow")
        let o = options(root, rescan: 600) // no periodic rescan: only the overflow can find them
        try FileManager.default.createDirectory(atPath: o.inbox + "/noise", withIntermediateDirectories: true)
        let ex = try S.excerpts()
        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        // The first batch holds the loop until the noise is made (a condition, not a sleep):
        // the kernel queue then overflows for certain, however loaded the machine is.
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let once = OnceFlag()
        FailPoints.set("watch.pause_ms", nil, callback: { if once.first() { held.signal(); release.wait() } })
        defer { FailPoints.set("watch.pause_ms", nil) }
        let s = try running(w) {
            defer { release.signal() }
            S.write(Array((ex[0] + "\n").utf8), to: o.inbox + "/first.txt")
            XCTAssertEqual(held.wait(timeout: .now() + 120), .success, "the first file was never taken")
            for i in 0..<(limit / 2 + 200) { // IN_CREATE + IN_CLOSE_WRITE each, ignored names
                let fd = open(o.inbox + "/noise/n\(i).tmp", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                close(fd)
            }
            for i in 1...3 { S.write(Array((ex[i] + "\n").utf8), to: o.inbox + "/lost \(i).txt") }
            release.signal()
            XCTAssertTrue(S.waitUntil(seconds: 120) { S.lines(o.outputDir, prefix: "results").count == 4 })
        }
        XCTAssertEqual(s.done, 4)
        XCTAssertGreaterThanOrEqual(w.status.snapshot().overflows, 1)
    }

    /// The loopback endpoint serves the status JSON and Prometheus text; the status file is
    /// rewritten while running.
    func testStatusFileAndLoopbackEndpoint() throws {
        let root = try S.tempFolder("http")
        let o = options(root)
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let status = WatchStatus(inbox: o.inbox)
        let server = try StatusHTTPServer(port: 0, status: status)
        server.start()
        defer { server.stop() }
        status.finished(done: 3, failed: 1, resultLines: 3, errorLines: 1)
        status.error("a.txt: [encoding.invalid_utf8] bytes are not valid UTF-8")
        func get(_ path: String) throws -> String {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(s) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET); addr.sin_port = server.port.bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let c = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            XCTAssertEqual(c, 0)
            let req = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
            _ = req.withUnsafeBytes { send(s, $0.baseAddress, req.count, 0) }
            var out = [UInt8](); var buf = [UInt8](repeating: 0, count: 4096)
            while true { let n = buf.withUnsafeMutableBytes { recv(s, $0.baseAddress, $0.count, 0) }; if n <= 0 { break }; out += buf[0..<n] }
            return String(decoding: out, as: UTF8.self)
        }
        let st = try get("/status")
        XCTAssertTrue(st.hasPrefix("HTTP/1.0 200"))
        let body = st.components(separatedBy: "\r\n\r\n").last ?? ""
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        XCTAssertEqual(json?["done"] as? Int, 3)
        XCTAssertEqual(json?["failed"] as? Int, 1)
        XCTAssertNotNil(json?["last_error"] as? String)
        let m = try get("/metrics")
        XCTAssertTrue(m.contains("wenshu_watch_files_done_total 3.0"), m)
        XCTAssertTrue(m.contains("# TYPE wenshu_watch_files_pending gauge"))
        XCTAssertTrue(try get("/nope").hasPrefix("HTTP/1.0 404"))

        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        _ = try running(w) {
            S.write(Array((try S.excerpts()[2] + "\n").utf8), to: o.inbox + "/a.txt")
            XCTAssertTrue(S.waitUntil(seconds: 5) {
                let d = FileManager.default.contents(atPath: w.statusPath)
                let j = d.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                return j?["done"] as? Int == 1 && j?["state"] as? String == "running"
            })
        }
    }

    /// Keep mode: files stay; an unchanged file is not taken again, a rewritten one is.
    func testKeepModeTakesChangedContentAgain() throws {
        let root = try S.tempFolder("keep")
        let o = options(root, onDone: .keep)
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let ex = try S.excerpts()
        S.write(Array((ex[5] + "\n").utf8), to: o.inbox + "/a.txt")
        _ = try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)
        _ = try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)
        XCTAssertEqual(S.lines(o.outputDir, prefix: "results").count, 1)
        S.write(Array((ex[6] + "\n").utf8), to: o.inbox + "/a.txt")
        _ = try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)
        let hashes = S.lines(o.outputDir, prefix: "results").compactMap { ($0["source"] as? [String: Any])?["sha256"] as? String }
        XCTAssertEqual(hashes, [ex[5], ex[6]].map { SHA256Hasher.hex(Array(($0 + "\n").utf8)) })
        XCTAssertTrue(FileManager.default.fileExists(atPath: o.inbox + "/a.txt"))
    }

    /// An inbox inside the output folder would watch its own output: refused.
    func testInboxInsideOutputIsRefused() throws {
        let root = try S.tempFolder("clash")
        let o = WatchOptions(inbox: root + "/out/in", outputDir: root + "/out").resolved(against: "/")
        XCTAssertThrowsError(try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "config.invalid")
        }
    }

    /// A second watcher on the same state folder is refused.
    func testSecondWatcherIsRefused() throws {
        let root = try S.tempFolder("lock")
        let o = options(root)
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        _ = try running(w) {
            usleep(200_000)
            XCTAssertThrowsError(try InboxWatcher(options: o, processor: try S.textProcessor()).run(once: true)) {
                XCTAssertEqual(($0 as? WenshuError)?.code, "watch.locked")
            }
        }
    }
}

/// True exactly once, from any thread.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func first() -> Bool { lock.lock(); defer { lock.unlock() }; if done { return false }; done = true; return true }
}
