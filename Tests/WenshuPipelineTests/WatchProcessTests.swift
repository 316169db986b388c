import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The watched inbox run as a real child process (`wenshu watch`): bursts of files,
/// kill -9 and restart, SIGTERM, temporary names. Text-only pipeline, no model.
final class WatchProcessTests: XCTestCase {
    typealias S = WatchTestSupport

    /// 1,000 files dropped in bursts (plain writes, slow writes in pieces with closes in
    /// between, renames from a `.part` name, new subfolders, bad GB18030 bytes), with
    /// two kill -9 in the middle and restarts: every file's content appears exactly once
    /// in results or errors, each file ends in done/ or failed/, no partial line anywhere.
    func testThousandFilesInBurstsSurviveKillNineExactlyOnce() throws {
        let root = try S.tempFolder("burst")
        let inbox = root + "/收件 箱"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 150)
        let excerpts = try S.excerpts()
        let log = root + "/watch.log"
        let env = ["WENSHU_FAILPOINTS": "watch.pause_ms=15"] // widens the commit's crash windows
        var child = try S.startWatch([pipeline], env: env, stderrPath: log)
        var expected: [String: Bool] = [:] // content hash -> is good text
        var kills = 0
        let total = 1000, bursts = 10, perBurst = total / bursts

        for burst in 0..<bursts {
            let sub = inbox + "/子目录 \(burst)"
            for j in 0..<perBurst {
                let i = burst * perBurst + j
                if burst == 4 && j == perBurst / 2 || burst == 7 && j == perBurst / 3 {
                    if burst == 7 {
                        // Aim inside a commit: kill right after the output grows (before its
                        // journal commit, which waits at the watch.pause_ms fail point).
                        let size = { S.outputBytes(root + "/out") }
                        let before = size()
                        S.waitUntil(seconds: 3, pollMicroseconds: 500) { size() != before }
                    }
                    kill(child.processIdentifier, SIGKILL)
                    child.waitUntilExit()
                    XCTAssertEqual(child.terminationReason, .uncaughtSignal)
                    kills += 1
                    child = try S.startWatch([pipeline], env: env, stderrPath: log)
                }
                let bad = i % 10 == 7
                let bytes: [UInt8] = bad ? try S.badBytes(i)
                    : Array("编号 \(i)\n\(excerpts[i % excerpts.count])\n".utf8)
                expected[SHA256Hasher.hex(bytes)] = !bad
                let name = "文书 \(i).txt"
                switch i % 10 {
                case 6: // slow writer: three pieces, closed and reopened, pauses shorter than settle_ms
                    let path = inbox + "/" + name
                    let cut1 = bytes.count / 3, cut2 = 2 * bytes.count / 3
                    S.write(Array(bytes[0..<cut1]), to: path)
                    for piece in [Array(bytes[cut1..<cut2]), Array(bytes[cut2...])] {
                        usleep(15_000)
                        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                        h.seekToEndOfFile(); h.write(Data(piece)); h.closeFile()
                    }
                case 8: // written under a temporary name, renamed in
                    let tmp = inbox + "/" + name + ".part"
                    S.write(bytes, to: tmp)
                    XCTAssertEqual(rename(tmp, inbox + "/" + name), 0)
                case 9: // into a folder created during the run
                    try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
                    S.write(bytes, to: sub + "/" + name)
                default:
                    S.write(bytes, to: inbox + "/" + name)
                }
            }
            usleep(100_000)
        }
        XCTAssertEqual(expected.count, total, "fixture contents must be distinct")

        let out = root + "/out"
        let finished = S.waitUntil(seconds: 45) {
            let r = S.lines(out, prefix: "results").count + S.lines(out, prefix: "errors").count
            return r >= total && S.files(under: inbox).allSatisfy { $0.hasPrefix("done/") || $0.hasPrefix("failed/") }
        }
        XCTAssertTrue(finished, "not everything was processed in time")
        kill(child.processIdentifier, SIGTERM)
        S.wait(child, seconds: 10)
        XCTAssertEqual(child.terminationStatus, 0)
        XCTAssertEqual(kills, 2)

        let results = S.lines(out, prefix: "results"), errors = S.lines(out, prefix: "errors")
        var count: [String: Int] = [:]
        for l in results { if let s = S.sha(of: l) { count[s, default: 0] += 1; XCTAssertEqual(expected[s], true) } }
        for l in errors { if let s = S.sha(of: l) { count[s, default: 0] += 1; XCTAssertEqual(expected[s], false) } }
        let missing = expected.keys.filter { count[$0] == nil }
        let twice = count.filter { $0.value > 1 }
        XCTAssertTrue(missing.isEmpty, "\(missing.count) files have no line")
        XCTAssertTrue(twice.isEmpty, "\(twice.count) files have more than one line")
        XCTAssertEqual(Set(count.keys), Set(expected.keys))
        XCTAssertEqual(results.count + errors.count, total)
        for l in results + errors {
            let path = (l["source"] as? [String: Any])?["path"] as? String ?? ""
            XCTAssertTrue(path.hasPrefix("文书 ") || path.hasPrefix("子目录 "), "paths are relative to the inbox: \(path)")
        }
        XCTAssertTrue(results.allSatisfy { ($0["source"] as? [String: Any])?["format"] as? String == "text" })

        let left = S.files(under: inbox)
        XCTAssertEqual(left.count, total)
        XCTAssertEqual(left.filter { $0.hasPrefix("done/") }.count, expected.values.filter { $0 }.count)
        XCTAssertEqual(left.filter { $0.hasPrefix("failed/") }.count, expected.values.filter { !$0 }.count)
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/status.json"))) as? [String: Any]
        XCTAssertEqual(status?["state"] as? String, "stopped")
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        print("watch burst test: \(results.count) results, \(errors.count) errors; recovery log lines: "
              + logText.split(separator: "\n").filter { $0.contains("recovery") }.joined(separator: " | "))
    }

    /// SIGTERM in the middle of a run: the document in hand is finished, the process exits 0,
    /// and a later `--once` run takes the rest, each file once.
    func testSIGTERMFinishesTheDocumentInHandAndExitsZero() throws { try stopBySignal(SIGTERM) }

    /// The same with SIGINT (Ctrl-C).
    func testSIGINTFinishesTheDocumentInHandAndExitsZero() throws { try stopBySignal(SIGINT) }

    private func stopBySignal(_ sig: Int32) throws {
        let root = try S.tempFolder("signal-\(sig)")
        let inbox = root + "/收件 箱"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 20)
        let excerpts = try S.excerpts()
        var shas: Set<String> = []
        for i in 0..<60 {
            let bytes = Array("第\(i)号\n\(excerpts[i % excerpts.count])\n".utf8)
            shas.insert(SHA256Hasher.hex(bytes))
            S.write(bytes, to: inbox + "/判决 \(i).txt")
        }
        let log = root + "/watch.log"
        let child = try S.startWatch([pipeline, "--settle-ms", "20"], env: ["WENSHU_FAILPOINTS": "watch.pause_ms=40"], stderrPath: log)
        let out = root + "/out"
        func all() -> [[String: Any]] { S.lines(out, prefix: "results") + S.lines(out, prefix: "errors") }
        XCTAssertTrue(S.waitUntil(seconds: 20) { !all().isEmpty })
        kill(child.processIdentifier, sig)
        S.wait(child, seconds: 10)
        XCTAssertEqual(child.terminationReason, .exit)
        XCTAssertEqual(child.terminationStatus, 0)
        let first = all().count
        XCTAssertGreaterThan(first, 0)
        XCTAssertLessThan(first, 60, "SIGTERM should stop the run before the inbox is empty")
        XCTAssertTrue(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("stopped:"))

        let again = try S.startWatch([pipeline, "--once"], stderrPath: log)
        S.wait(again, seconds: 30)
        XCTAssertEqual(again.terminationStatus, 0)
        let lines = all().compactMap(S.sha(of:))
        XCTAssertEqual(lines.count, 60)
        XCTAssertEqual(Set(lines), shas)
    }

    /// Temporary and hidden names are never taken; the Chinese, spaced inbox path works.
    func testTemporaryNamesAreIgnoredAndKeepModeLeavesFiles() throws {
        let root = try S.tempFolder("temp")
        let inbox = root + "/收件 箱 2"
        try FileManager.default.createDirectory(atPath: inbox + "/.hidden dir", withIntermediateDirectories: true)
        let excerpts = try S.excerpts()
        for (i, n) in ["a.part", "b.tmp", "~c.txt", ".d.txt", ".hidden dir/e.txt", "f.txt~"].enumerated() {
            S.write(Array((excerpts[i] + "\n").utf8), to: inbox + "/" + n)
        }
        S.write(Array((excerpts[9] + "\n").utf8), to: inbox + "/判决书 正本.txt")
        let pipeline = try S.writePipeline(in: root, inbox: inbox, settleMs: 30)
        let log = root + "/watch.log"
        for _ in 0..<2 { // the second run must find everything already recorded
            let child = try S.startWatch([pipeline, "--once", "--on-done", "keep"], stderrPath: log)
            S.wait(child, seconds: 20)
            XCTAssertEqual(child.terminationStatus, 0)
        }
        let errors = S.lines(root + "/out", prefix: "errors")
        let lines = S.lines(root + "/out", prefix: "results") + errors
        XCTAssertEqual(lines.count, 1, "only the one complete, visible file is taken, once over two runs")
        XCTAssertEqual((lines.first?["source"] as? [String: Any])?["path"] as? String, "判决书 正本.txt")
        XCTAssertTrue(errors.isEmpty, "a plain-text judgment gives a result line: \(errors)")
        XCTAssertEqual(S.files(under: inbox).count, 7, "keep mode leaves every file in place")
    }
}
