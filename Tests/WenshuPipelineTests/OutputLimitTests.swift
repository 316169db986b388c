import Foundation
import XCTest

/// A full disk, made real with `ulimit -f` in a child shell (issue 11, defect 9): the write
/// error is reported (SIGXFSZ is ignored, so the process is not killed by it), once; the
/// message says the old results are untouched and how many lines they hold; the partial file
/// is removed; the old results keep their bytes.
final class OutputLimitTests: XCTestCase {
    func testAFileSizeLimitIsReportedOnceAndLeavesTheOldResultsWhole() throws {
        try Harness.requireIngest()
        let dir = try scratch("fsize")
        // Real judgment text, each document a few judgments long, so the results outweigh the journal.
        let texts = try Harness.textCorpus(into: dir, count: 80)
        for name in try FileManager.default.contentsOfDirectory(atPath: texts.path) {
            let u = texts.appendingPathComponent(name)
            let t = try String(contentsOf: u, encoding: .utf8)
            try String(repeating: t, count: 6).write(to: u, atomically: true, encoding: .utf8)
        }
        let spec = try Harness.pipeline(in: dir, inputs: ["texts"], execution: "  workers: 1\n  batch_size: 4\n")
        let first = try Harness.run(["run", spec.lastPathComponent, "--no-progress", "--include-text"], cwd: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        let resultsURL = dir.appendingPathComponent("out/results.jsonl")
        let before = try Data(contentsOf: resultsURL)
        let lines = before.split(separator: 0x0A).count
        XCTAssertEqual(lines, 80)
        // Room for the journal and the part files (a batch each) but not for the rebuilt results file.
        let journal = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("out/results.journal.sqlite").path)[.size] as? Int) ?? 0
        let limitKB = (2 * journal + 64 * 1024 + before.count) / 2 / 1024
        XCTAssertLessThan(limitKB * 1024, before.count, "the corpus is too small for this check (journal \(journal) B, results \(before.count) B)")
        let bin = try Harness.binary().path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "ulimit -f \(limitKB) && exec \"$0\" run \"$1\" --fresh --no-progress --include-text", bin, spec.lastPathComponent]
        p.currentDirectoryURL = dir
        let errURL = dir.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let stderr = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertEqual(p.terminationReason, .exit, "killed by a signal (SIGXFSZ?): \(stderr)")
        XCTAssertEqual(p.terminationStatus, 2, stderr)
        XCTAssertTrue(stderr.contains("untouched and still holds its 80 line(s)"), stderr)
        XCTAssertTrue(stderr.contains("File too large"), stderr)
        XCTAssertEqual(stderr.components(separatedBy: "File too large").count - 1, 1, "the failure is printed once: \(stderr)")
        XCTAssertFalse(stderr.contains("results: 0 lines"), stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: resultsURL.path + ".partial"), "the partial file is left behind")
        XCTAssertEqual(try Data(contentsOf: resultsURL), before, "the old results changed")
        // With the limit gone, a rerun completes from the journal.
        let again = try Harness.run(["run", spec.lastPathComponent, "--no-progress", "--include-text"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(Harness.jsonLines(at: resultsURL).count, 80)
    }
}
