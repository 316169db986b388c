import Foundation
import XCTest
@testable import WenshuPipeline
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the watch tests: fixtures, temporary folders, the built `wenshu` binary.
enum WatchTestSupport {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures/watch")
    static var repoRoot: URL { testsFolder.deletingLastPathComponent().deletingLastPathComponent() }

    /// The fixture lines of real judgment text.
    static func excerpts() throws -> [String] {
        let s = try String(contentsOf: fixtures.appendingPathComponent("judgment-excerpts.txt"), encoding: .utf8)
        return s.split(separator: "\n").map(String.init)
    }

    /// Real GB18030 bytes (not UTF-8).
    static func gb18030Bytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("gb18030-excerpt.txt")))
    }

    /// A bad file: the real GB18030 bytes with NUL bytes spliced in (binary to the ingest
    /// layer, not UTF-8 to the plain-text processor), made unique by `n`.
    static func badBytes(_ n: Int) throws -> [UInt8] {
        let gb = try gb18030Bytes()
        return Array(gb.prefix(40)) + [0, 0, 0, 0] + Array(gb.dropFirst(40)) + Array("#\(n)\n".utf8)
    }

    /// A fresh temporary folder whose path holds Chinese characters and spaces.
    static func tempFolder(_ name: String) throws -> String {
        let p = NSTemporaryDirectory() + "wenshu-watch-tests/\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/文书 收件箱 test"
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// The `wenshu` executable built beside the test bundle (or in .build/debug).
    static func wenshuBinary() throws -> String {
        var candidates: [String] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = arg0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("wenshu").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(repoRoot.appendingPathComponent(".build/debug/wenshu").path)
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return c }
        throw XCTSkip("the wenshu binary is not built (looked in \(candidates)); run `swift build` first")
    }

    /// Writes a pipeline file with a `watch:` section.
    static func writePipeline(in folder: String, inbox: String, settleMs: Int, extra: String = "") throws -> String {
        let p = folder + "/watch pipeline.yaml"
        let yaml = """
        name: watch-test
        inputs:
          paths: ["\(inbox)"]
        outputs:
          results: "\(folder)/out/results.jsonl"
          errors: "\(folder)/out/errors.jsonl"
          journal: "\(folder)/out/journal.sqlite"
        execution:
          batch_size: 8
        watch:
          inbox: "\(inbox)"
          settle_ms: \(settleMs)
          rescan_seconds: 1
          batch: 16
          status_every_ms: 200
        \(extra)
        """
        try yaml.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Starts `wenshu watch` as a child process.
    static func startWatch(_ args: [String], env: [String: String] = [:], stderrPath: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try wenshuBinary())
        p.arguments = ["watch"] + args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        h.seekToEndOfFile()
        p.standardError = h
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits for a child to exit, up to `seconds`; kills it with SIGKILL past that and fails.
    static func wait(_ p: Process, seconds: Double, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTFail("the watcher did not exit within \(seconds) s", file: file, line: line)
        }
    }

    /// Waits until `condition` holds, polling, up to `seconds`.
    @discardableResult
    static func waitUntil(seconds: Double, pollMicroseconds: UInt32 = 50_000, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(pollMicroseconds)
        }
        return condition()
    }

    /// Total size of the JSONL files in `folder`.
    static func outputBytes(_ folder: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }
            .reduce(0) { $0 + DailyJSONLFile.fileSize(folder + "/" + $1) }
    }

    /// Every line of every `PREFIX-*.jsonl` in `folder`, parsed (a line that is not JSON fails the test).
    static func lines(_ folder: String, prefix: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix(prefix + "-") && $0.hasSuffix(".jsonl") }.sorted()
        var out: [[String: Any]] = []
        for n in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + n) else { continue }
            if let last = data.last, last != 0x0A {
                XCTFail("\(n) ends in a partial line", file: file, line: line)
            }
            for l in data.split(separator: 0x0A) {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(l)) as? [String: Any] else {
                    XCTFail("\(n): a line is not a JSON object: \(String(decoding: l, as: UTF8.self))", file: file, line: line)
                    continue
                }
                out.append(obj)
            }
        }
        return out
    }

    /// The content hash a line records for its source file.
    static func sha(of line: [String: Any]) -> String? {
        (line["source"] as? [String: Any])?["sha256"] as? String
    }

    /// Regular files below `folder`, as paths relative to it.
    static func files(under folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out.append(rel)
            }
        }
        return out.sorted()
    }

    /// Writes `bytes` to `path` in one go.
    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}
