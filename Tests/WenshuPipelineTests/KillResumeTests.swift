import Foundation
import XCTest

/// kill -9 in the middle of a run, then a rerun: every document exactly once in the
/// results, the same set as an uninterrupted run.
final class KillResumeTests: XCTestCase {
    func testKillNineAtSeveralMomentsThenRerunGivesEachDocumentOnce() throws {
        try Harness.requireIngest()
        let dir = try scratch("kill")
        _ = try Harness.textCorpus(into: dir, count: 30)
        _ = try Harness.copyCorpus(into: dir)
        let spec = try Harness.pipeline(in: dir, inputs: ["texts", "corpus"], execution: "  workers: 2\n  batch_size: 3\n")

        // The reference: one uninterrupted run.
        let ref = try Harness.run(["run", spec.path, "--no-progress", "-o", "ref/results.jsonl"], cwd: dir)
        XCTAssertEqual(ref.status, 0, ref.stderr)
        let expected = Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent("ref/results.jsonl"))).sorted()
        XCTAssertEqual(expected.count, 41)

        // Kill at different moments: early, in the middle, late; several kills before the final rerun.
        var killedMidRun = 0
        for (round, delays) in [[0.15], [0.5, 0.9], [1.4, 0.3, 2.0]].enumerated() {
            let out = "k\(round)/results.jsonl"
            for delay in delays {
                let logs = dir.appendingPathComponent("k\(round)-\(delay)")
                let p = try Harness.start(["run", spec.path, "--no-progress", "-o", out], cwd: dir,
                                          env: ["WENSHU_FAILPOINTS": "document.slow_ms=300"],  // 41 documents x 0.3 s on 2 workers: about 6 s of work, longer than all kill delays of a round together
                                          stdoutFile: logs.appendingPathExtension("out"),
                                          stderrFile: logs.appendingPathExtension("err"))
                Thread.sleep(forTimeInterval: delay)
                if p.isRunning { kill(p.processIdentifier, SIGKILL) }
                p.waitUntilExit()
                if p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL { killedMidRun += 1 }
            }
            let final = try Harness.run(["run", spec.path, "--no-progress", "-o", out], cwd: dir)
            XCTAssertEqual(final.status, 0, final.stderr)
            let got = Harness.sourceKeys(Harness.jsonLines(at: dir.appendingPathComponent(out))).sorted()
            XCTAssertEqual(got, expected, "round \(round): kills after \(delays) s")
            // Results files of the two runs hold the same lines (same order need not hold across runs).
            let refLines = Set(try String(contentsOf: dir.appendingPathComponent("ref/results.jsonl"), encoding: .utf8).split(separator: "\n"))
            let gotLines = Set(try String(contentsOf: dir.appendingPathComponent(out), encoding: .utf8).split(separator: "\n"))
            XCTAssertEqual(gotLines, refLines)
        }
        XCTAssertGreaterThanOrEqual(killedMidRun, 4, "most kills must land while the run is still working")
    }
}
