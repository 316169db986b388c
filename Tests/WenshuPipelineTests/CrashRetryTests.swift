import Foundation
import XCTest

/// A document that kills the whole process (as a stage running out of memory does) costs
/// only itself: the in-flight markers name it at the next start, it is retried alone up to
/// `retries` times, then written to the errors with code `crashed`; every other document
/// ends in the results exactly once (issue 11, defect 2).
final class CrashRetryTests: XCTestCase {
    func testADocumentThatKillsTheRunIsRetriedAloneThenErroredAsCrashed() throws {
        try Harness.requireIngest()
        let dir = try scratch("crash")
        let texts = try Harness.textCorpus(into: dir, count: 6)
        let marker = "CRASH-HERE-4417"
        let victim = texts.appendingPathComponent("doc-002.txt")
        try (try String(contentsOf: victim, encoding: .utf8) + marker).write(to: victim, atomically: true, encoding: .utf8)
        let spec = try Harness.pipeline(in: dir, inputs: ["texts"], execution: "  workers: 1\n  batch_size: 2\n  retries: 1\n")
        let env = ["WENSHU_FAILPOINTS": "document.crash_marker=\(marker)"]

        // Run 1 dies on the batch holding doc-002; run 2 retries doc-002 alone and dies again.
        for attempt in 1...2 {
            let r = try Harness.run(["run", spec.lastPathComponent], cwd: dir, env: env)
            XCTAssertEqual(r.reason, .uncaughtSignal, "run \(attempt) should die: \(r.stderr)")
            XCTAssertEqual(r.status, SIGKILL)
            if attempt == 2 { XCTAssertTrue(r.stderr.contains("died while processing"), r.stderr) }
        }
        // Run 3: two crashes > retries 1, so doc-002 is not run again.
        let r = try Harness.run(["run", spec.lastPathComponent], cwd: dir, env: env)
        XCTAssertEqual(r.status, 1, r.stderr)
        let results = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        let errors = Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl"))
        let paths = results.compactMap { ($0["source"] as? [String: Any])?["path"] as? String }
        XCTAssertEqual(paths.sorted(), ["texts/doc-000.txt", "texts/doc-001.txt", "texts/doc-003.txt", "texts/doc-004.txt", "texts/doc-005.txt"])
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?["code"] as? String, "document.crashed")
        XCTAssertEqual((errors.first?["source"] as? [String: Any])?["path"] as? String, "texts/doc-002.txt")
        try Harness.validateSchemas([dir.appendingPathComponent("out/results.jsonl"), dir.appendingPathComponent("out/results.errors.jsonl")])

        // A fourth run changes nothing: still exactly once.
        let again = try Harness.run(["run", spec.lastPathComponent], cwd: dir, env: env)
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")).count, 5)
        XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl")).count, 1)
    }
}
