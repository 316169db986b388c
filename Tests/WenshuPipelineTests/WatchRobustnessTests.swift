import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The watched inbox against what a demanding user does (issue 11, defects 1, 7, 8, 10):
/// writers that hold their file open across long pauses, a second watcher on the same
/// inbox, stalled status clients, duplicates of a failed file. Every wait is for a condition
/// with a generous deadline.
final class WatchRobustnessTests: XCTestCase {
    typealias S = WatchTestSupport

    private func statusJSON(_ folder: String) -> [String: Any] {
        guard let d = FileManager.default.contents(atPath: folder + "/status.json"),
              let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any] else { return [:] }
        return o
    }

    /// A writer child process opens its file once and writes a real judgment in four chunks
    /// with pauses four times `settle_ms`, keeping the file open throughout. The watcher must
    /// not take it until the writer closes it: one result line, for the complete bytes. While
    /// it is held past `open_limit_seconds` the status lists it.
    func testAWriterHoldingItsFileOpenAcrossLongPausesIsTakenOnlyWhenComplete() throws {
        let root = try S.tempFolder("held")
        let inbox = root + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 250, extra: "  open_limit_seconds: 0.5\n")
        let ex = try S.excerpts()
        let full = Array((ex.prefix(6).joined(separator: "\n") + "\n").utf8)
        let src = root + "/source.txt"
        S.write(full, to: src)
        let child = try S.startWatch([pipeline], stderrPath: root + "/watch.log")
        defer { if child.isRunning { kill(child.processIdentifier, SIGTERM); S.wait(child, seconds: 60) } }
        XCTAssertTrue(S.waitUntil(seconds: 60) { (self.statusJSON(root + "/out")["state"] as? String) == "running" })

        // The writer: one open file descriptor for the whole write (the braces), pauses of 1 s.
        let q = full.count / 4
        let script = """
        { head -c \(q) "$1"; sleep 1; tail -c +\(q + 1) "$1" | head -c \(q); sleep 1; \
          tail -c +\(2 * q + 1) "$1" | head -c \(q); sleep 1; tail -c +\(3 * q + 1) "$1"; } > "$2"
        """
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", script, "sh", src, inbox + "/held.txt"]
        try writer.run()
        // While the writer holds it past open_limit_seconds, the status names it.
        XCTAssertTrue(S.waitUntil(seconds: 60) {
            ((self.statusJSON(root + "/out")["held_open"] as? [[String: Any]]) ?? []).contains { ($0["path"] as? String) == "held.txt" }
                || !writer.isRunning
        })
        let listed = ((statusJSON(root + "/out")["held_open"] as? [[String: Any]]) ?? []).contains { ($0["path"] as? String) == "held.txt" }
        writer.waitUntilExit()
        XCTAssertEqual(writer.terminationStatus, 0)
        XCTAssertTrue(listed || !S.lines(root + "/out", prefix: "results").isEmpty, "held file neither listed nor taken")
        XCTAssertTrue(S.waitUntil(seconds: 120) { S.lines(root + "/out", prefix: "results").count + S.lines(root + "/out", prefix: "errors").count >= 1 })
        kill(child.processIdentifier, SIGTERM)
        S.wait(child, seconds: 60)
        let results = S.lines(root + "/out", prefix: "results")
        let errors = S.lines(root + "/out", prefix: "errors")
        XCTAssertEqual(errors.count, 0, "\(errors)")
        XCTAssertEqual(results.count, 1)
        let source = results.first?["source"] as? [String: Any]
        XCTAssertEqual(source?["bytes"] as? Int, full.count, "the file was taken before its writer finished")
        XCTAssertEqual(source?["sha256"] as? String, SHA256Hasher.hex(full))
        XCTAssertGreaterThanOrEqual(statusJSON(root + "/out")["held_open_seen"] as? Int ?? 0, 1)
        XCTAssertTrue(S.files(under: inbox + "/done").contains { $0.hasSuffix("held.txt") })
    }

    /// The lock is on the inbox itself: a second watcher with another state folder is refused.
    func testASecondWatcherOnTheSameInboxWithAnotherStateFolderIsRefused() throws {
        let root = try S.tempFolder("twoinbox")
        let inbox = root + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let a = WatchOptions(inbox: inbox, outputDir: root + "/out-a", settleMs: 20, rescanSeconds: 0.3)
            .resolved(against: "/")
        var bOptions = WatchOptions(inbox: inbox, outputDir: root + "/out-b", settleMs: 20, rescanSeconds: 0.3)
        bOptions.doneDir = inbox + "/done"; bOptions.failedDir = inbox + "/failed"
        let b = bOptions.resolved(against: "/")
        let first = InboxWatcher(options: a, processor: try S.textProcessor())
        let finished = DispatchSemaphore(value: 0)
        Thread { _ = try? first.run(); finished.signal() }.start()
        XCTAssertTrue(S.waitUntil(seconds: 60) { first.status.snapshot().state == "running" })
        let second = InboxWatcher(options: b, processor: try S.textProcessor())
        XCTAssertThrowsError(try second.run(once: true)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "watch.locked")
            XCTAssertTrue("\(e)".contains("inbox"), "\(e)")
        }
        first.stop.request()
        finished.wait()
    }

    /// One client trickles a byte at a time and thirty sit idle: a fresh `GET /status` is still
    /// answered (the old one-connection-at-a-time server never answered it while the trickle went on).
    func testStalledStatusClientsDoNotBlockOthers() throws {
        let status = WatchStatus(inbox: "/inbox")
        status.finished(done: 2, failed: 1, resultLines: 2, errorLines: 1)
        let server = try StatusHTTPServer(port: 0, status: status)
        server.start()
        defer { server.stop() }
        func connectClient() -> Int32 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET); addr.sin_port = server.port.bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let c = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            XCTAssertEqual(c, 0)
            return s
        }
        let trickler = connectClient()
        let stopTrickle = DispatchSemaphore(value: 0)
        let trickleDone = DispatchSemaphore(value: 0)
        Thread {
            // "GET /sta" ... one byte at a time, never a newline, until the test ends.
            var i = 0
            let bytes = Array("GET /status-and-more-and-more-and-more".utf8)
            while stopTrickle.wait(timeout: .now() + 0.3) == .timedOut {
                var b = bytes[i % bytes.count]
                if send(trickler, &b, 1, Int32(MSG_NOSIGNAL)) <= 0 { break }
                i += 1
            }
            trickleDone.signal()
        }.start()
        let idle = (0..<30).map { _ in connectClient() }
        defer { idle.forEach { close($0) }; close(trickler) }

        let s = connectClient()
        defer { close(s) }
        let req = Array("GET /status HTTP/1.0\r\n\r\n".utf8)
        XCTAssertEqual(req.withUnsafeBytes { send(s, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }, req.count)
        var tv = timeval(tv_sec: 60, tv_usec: 0) // generous: the answer must come, not come fast
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var reply = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(s, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            reply += buf[0..<n]
        }
        stopTrickle.signal()
        trickleDone.wait()
        let text = String(decoding: reply, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 OK"), text)
        XCTAssertTrue(text.contains("\"done\":2") || text.contains("\"done\" : 2"), text)
    }

    /// A bad file and its byte-identical copy land together: the copy follows its original to
    /// failed/ (not done/), and a `wenshu.duplicate/1` line names it and its original.
    func testADuplicateOfAFailedFileFollowsItsOriginalAndIsNamed() throws {
        let root = try S.tempFolder("dupfail")
        let o = WatchOptions(inbox: root + "/inbox", outputDir: root + "/out", settleMs: 0, rescanSeconds: 0.3, batch: 8)
            .resolved(against: "/")
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let bad = try S.badBytes(1)
        S.write(bad, to: o.inbox + "/a-original.txt")
        S.write(bad, to: o.inbox + "/b-copy.txt")
        let good = Array((try S.excerpts()[0] + "\n").utf8)
        S.write(good, to: o.inbox + "/c-good.txt")
        S.write(good, to: o.inbox + "/d-good-copy.txt")
        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        let summary = try w.run(once: true)
        XCTAssertEqual(summary.duplicates, 2)
        let failed = S.files(under: o.failedDir).map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
        let done = S.files(under: o.doneDir).map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
        XCTAssertEqual(failed, ["a-original.txt", "b-copy.txt"])
        XCTAssertEqual(done, ["c-good.txt", "d-good-copy.txt"])
        let dups = S.lines(o.outputDir, prefix: "duplicates")
        XCTAssertEqual(Set(dups.map { "\($0["path"] ?? ""):\($0["original"] ?? ""):\($0["original_state"] ?? "")" }),
                       ["b-copy.txt:a-original.txt:failed", "d-good-copy.txt:c-good.txt:done"])
        XCTAssertTrue(dups.allSatisfy { $0["schema"] as? String == "wenshu.duplicate/1" })
        XCTAssertEqual(S.lines(o.outputDir, prefix: "results").count, 1)
        XCTAssertEqual(S.lines(o.outputDir, prefix: "errors").count, 1)
    }

    /// Latin-1 and GBK byte names are taken like any other (paths escaped reversibly in the
    /// records) and moved to done/ under their own bytes; a FIFO is reported, never opened.
    func testByteNamesAreTakenAndAFifoIsReportedNotOpened() throws {
        let root = try S.tempFolder("bytenames")
        let o = WatchOptions(inbox: root + "/inbox", outputDir: root + "/out", settleMs: 0, rescanSeconds: 0.3, batch: 8)
            .resolved(against: "/")
        try FileManager.default.createDirectory(atPath: o.inbox, withIntermediateDirectories: true)
        let ex = try S.excerpts()
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)
        let gbk: [UInt8] = [0xC5, 0xD0, 0xBE, 0xF6, 0xCA, 0xE9] + Array(".txt".utf8)
        for (i, name) in [latin1, gbk].enumerated() {
            let fd = RawPath.open(o.inbox + "/" + RawPath.escape(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            let bytes = Array((ex[i] + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        XCTAssertEqual(mkfifo(o.inbox + "/pipe.txt", 0o644), 0)
        let w = InboxWatcher(options: o, processor: try S.textProcessor())
        let summary = try w.run(once: true) // a FIFO opened for reading would block here forever
        XCTAssertEqual(summary.done, 2)
        let paths = Set(S.lines(o.outputDir, prefix: "results").compactMap { ($0["source"] as? [String: Any])?["path"] as? String })
        XCTAssertEqual(paths, [RawPath.escape(latin1), RawPath.escape(gbk)])
        let day = o.doneDir + "/" + DailyJSONLFile.localDay(Date())
        XCTAssertEqual(Set((RawPath.list(day) ?? []).map { RawPath.unescape($0) }), [latin1, gbk])
        XCTAssertTrue(w.status.snapshot().lastError?.contains("FIFO") ?? false, "\(w.status.snapshot())")
        XCTAssertNotNil(RawPath.lstatOf(o.inbox + "/pipe.txt"), "the FIFO is left where it is")
    }

    /// A file that kills the watcher each time it is processed (as a stage running out of
    /// memory would) is retried after each restart up to `execution.retries` times, then
    /// written to the errors as `crashed` and moved to failed/; the other files are done once.
    func testAFileThatKillsTheWatcherIsErroredAsCrashedAfterTheRetries() throws {
        let root = try S.tempFolder("poison")
        let inbox = root + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 50)
        var yaml = try String(contentsOfFile: pipeline, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "  batch_size: 8\n", with: "  batch_size: 8\n  retries: 1\n")
        try yaml.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let ex = try S.excerpts()
        let marker = "POISON-9931"
        for i in 0..<4 { S.write(Array("编号 \(i)\n\(ex[i])\n".utf8), to: inbox + "/good-\(i).txt") }
        S.write(Array("\(ex[5])\n\(marker)\n".utf8), to: inbox + "/poison.txt")
        let env = ["WENSHU_FAILPOINTS": "document.crash_marker=\(marker)"]
        var deaths = 0
        // Start, let it die, restart: retries 1 means two deaths, then the crashed line.
        var failedPoison = false
        for _ in 0..<6 {
            let child = try S.startWatch([pipeline], env: env, stderrPath: root + "/watch.log")
            let settled = S.waitUntil(seconds: 120) {
                !child.isRunning || S.files(under: inbox + "/failed").contains { $0.hasSuffix("poison.txt") }
            }
            XCTAssertTrue(settled)
            if child.isRunning {
                failedPoison = true
                XCTAssertTrue(S.waitUntil(seconds: 120) { S.files(under: inbox + "/done").count == 4 })
                kill(child.processIdentifier, SIGTERM)
                S.wait(child, seconds: 60)
                break
            }
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal)
            deaths += 1
        }
        XCTAssertTrue(failedPoison, "the poison file never reached failed/ (\(deaths) deaths)")
        XCTAssertEqual(deaths, 2, "retries 1: the first try and one retry die")
        let errors = S.lines(root + "/out", prefix: "errors")
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?["code"] as? String, "document.crashed")
        XCTAssertEqual((errors.first?["source"] as? [String: Any])?["path"] as? String, "poison.txt")
        let results = S.lines(root + "/out", prefix: "results")
        XCTAssertEqual(results.count, 4)
        XCTAssertEqual(Set(results.compactMap { S.sha(of: $0) }).count, 4)
    }
}
