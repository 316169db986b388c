import Foundation
import XCTest

/// `wenshu run` as a real process over real files: outputs, exit codes, reruns, failures.
final class RunProcessTests: XCTestCase {
    /// Good documents mixed with corrupt ones: every input ends in exactly one stream,
    /// good ones as results, bad ones as error lines with file, stage, code and message;
    /// exit status 1; every line matches the schemas.
    func testCorruptInputsMixedWithGoodOnes() throws {
        try Harness.requireIngest()
        let dir = try scratch("corrupt")
        let corpus = try Harness.copyCorpus(into: dir)
        var junk = [UInt8](repeating: 0, count: 4096)
        for i in junk.indices { junk[i] = UInt8(truncatingIfNeeded: i &* 7919 &+ 13) }
        try Data(junk).write(to: corpus.appendingPathComponent("junk.bin"))
        try Data().write(to: corpus.appendingPathComponent("empty.txt"))
        // A JSONL file with one malformed line between two good ones.
        let good = try String(contentsOf: corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        try ([String(good[0]), "{\"id\": \"broken\", \"text\": ", String(good[1])].joined(separator: "\n") + "\n")
            .write(to: corpus.appendingPathComponent("mixed.jsonl"), atomically: true, encoding: .utf8)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"])
        let r = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(r.status, 1, "some documents failed -> exit 1; stderr: \(r.stderr)")
        let results = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        let errors = Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl"))
        try Harness.validateSchemas([dir.appendingPathComponent("out/results.jsonl"),
                                     dir.appendingPathComponent("out/results.errors.jsonl")])
        // 8 + 2 records in JSONL files and 3 text files are good.
        XCTAssertEqual(results.count, 13, "results: \(Harness.sourceKeys(results))")
        let errorPaths = errors.map { (($0["source"] as? [String: Any])?["path"] as? String ?? "") }
        XCTAssertTrue(errorPaths.contains { $0.hasSuffix("junk.bin") }, "\(errorPaths)")
        XCTAssertTrue(errorPaths.contains { $0.hasSuffix("empty.txt") }, "\(errorPaths)")
        let bad = errors.first { (($0["source"] as? [String: Any])?["path"] as? String ?? "").hasSuffix("mixed.jsonl") }
        XCTAssertNotNil(bad, "the malformed JSONL line is an error of its own")
        XCTAssertEqual((bad?["source"] as? [String: Any])?["line"] as? Int, 2)
        for e in errors {
            XCTAssertNotNil(e["stage"]); XCTAssertNotNil(e["code"]); XCTAssertFalse((e["message"] as? String ?? "").isEmpty)
        }
        // No document in both streams, none twice.
        let all = Harness.sourceKeys(results) + Harness.sourceKeys(errors)
        XCTAssertEqual(Set(all).count, all.count)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/results.summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["exit_code"] as? Int, 1)
        XCTAssertEqual(summary?["result_lines"] as? Int, 13)
        XCTAssertEqual(summary?["error_lines"] as? Int, errors.count)
    }

    /// A rerun skips what is done; a changed file is processed again; --fresh redoes all.
    func testRerunSkipsDoneDocumentsAndReprocessesChangedFiles() throws {
        try Harness.requireIngest()
        let dir = try scratch("rerun")
        _ = try Harness.copyCorpus(into: dir)
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"])
        let first = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstResults = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(firstResults.count, 11)

        let second = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(second.status, 0, second.stderr)
        var summary = try summaryOf(dir)
        XCTAssertEqual(summary["processed"] as? Int, 0)
        XCTAssertEqual(summary["skipped_done"] as? Int, 11)
        let secondResults = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(Set(Harness.sourceKeys(secondResults)), Set(Harness.sourceKeys(firstResults)))
        XCTAssertEqual(secondResults.count, 11)

        // Change one file: only it is processed again; results still hold each document once.
        let changed = dir.appendingPathComponent("corpus/judgment-a.txt")
        try (try String(contentsOf: changed, encoding: .utf8) + "本判决为终审判决。\n").write(to: changed, atomically: true, encoding: .utf8)
        let third = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(third.status, 0, third.stderr)
        summary = try summaryOf(dir)
        XCTAssertEqual(summary["processed"] as? Int, 1)
        XCTAssertEqual(summary["skipped_done"] as? Int, 10)
        let thirdResults = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        XCTAssertEqual(thirdResults.count, 11)
        XCTAssertEqual(Set(Harness.sourceKeys(thirdResults)).count, 11)

        let fresh = try Harness.run(["run", spec.path, "--no-progress", "--fresh"], cwd: dir)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(try summaryOf(dir)["processed"] as? Int, 11)
        XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")).count, 11)
    }

    /// Failed documents are retried on the next runs up to the limit, then skipped while
    /// their error line (with its attempt count) stays in the error stream.
    func testFailedDocumentsAreRetriedUpToTheLimit() throws {
        try Harness.requireIngest()
        let dir = try scratch("retry")
        let corpus = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Harness.corpus.appendingPathComponent("judgment-a.txt"),
                                         to: corpus.appendingPathComponent("good.txt"))
        try Data().write(to: corpus.appendingPathComponent("bad.txt"))
        let spec = try Harness.pipeline(in: dir, inputs: ["in"], execution: "  workers: 1\n  retries: 1\n")
        var attempts = [Int]()
        for _ in 0..<3 {
            let r = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
            XCTAssertEqual(r.status, 1, r.stderr)
            let errors = Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl"))
            XCTAssertEqual(errors.count, 1)
            attempts.append(errors.first?["attempts"] as? Int ?? -1)
            XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")).count, 1)
        }
        XCTAssertEqual(attempts, [1, 2, 2], "tried once, retried once, then left with its reason")
        XCTAssertEqual(try summaryOf(dir)["skipped_exhausted"] as? Int, 1)
    }

    /// An output folder that cannot be created: the run fails (exit 2) before any document.
    func testUnwritableOutputFolderFailsTheRun() throws {
        let dir = try scratch("unwritable")
        _ = try Harness.copyCorpus(into: dir)
        // A regular file where a folder should be: refused even for root.
        try Data("x".utf8).write(to: dir.appendingPathComponent("blocked"))
        let spec = try Harness.pipeline(in: dir, inputs: ["corpus"])
        let r = try Harness.run(["run", spec.path, "--no-progress", "-o", "blocked/out/results.jsonl"], cwd: dir)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("output"), r.stderr)
        XCTAssertTrue(r.stderr.contains("blocked"), r.stderr)
        if getuid() != 0 {
            let ro = dir.appendingPathComponent("readonly")
            try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
            chmod(ro.path, 0o555)
            defer { chmod(ro.path, 0o755) }
            let r2 = try Harness.run(["run", spec.path, "--no-progress", "-o", "readonly/results.jsonl"], cwd: dir)
            XCTAssertEqual(r2.status, 2, r2.stderr)
        }
    }

    /// A full disk (a 256 KB tmpfs) fails the run with exit 2 and a message naming the
    /// output; after space is freed a rerun completes with every document once.
    func testFullDiskFailsTheRunAndARerunRecovers() throws {
        try Harness.requireIngest()
        let dir = try scratch("fulldisk")
        let texts = try Harness.textCorpus(into: dir, count: 40)
        _ = texts
        let mnt = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mnt, withIntermediateDirectories: true)
        let mount = try Harness.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.path])
        guard mount.status == 0 else {
            throw XCTSkip("cannot mount a small tmpfs here (\(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines))): full-disk test skipped")
        }
        defer { _ = try? Harness.runTool("/bin/umount", ["-l", mnt.path]) }
        // Fill most of it so the results no longer fit.
        try Data(count: 200 * 1024).write(to: mnt.appendingPathComponent("filler"))
        let spec = try Harness.pipeline(in: dir, inputs: ["texts"], extra: "", execution: "  workers: 1\n  batch_size: 4\n")
        let r = try Harness.run(["run", spec.path, "--no-progress", "--include-text", "-o", "small/results.jsonl"], cwd: dir)
        XCTAssertEqual(r.status, 2, "a full disk fails the run: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("No space left") || r.stderr.contains("disk"), r.stderr)
        try FileManager.default.removeItem(at: mnt.appendingPathComponent("filler"))
        let again = try Harness.run(["run", spec.path, "--no-progress", "--include-text", "-o", "small/results.jsonl"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        let results = Harness.jsonLines(at: mnt.appendingPathComponent("results.jsonl"))
        XCTAssertEqual(results.count, 40)
        XCTAssertEqual(Set(Harness.sourceKeys(results)).count, 40)
    }

    /// Pipeline files with mistakes: every problem names the file, the line and the key; exit 2.
    func testSpecErrorsNameFileLineAndKey() throws {
        let dir = try scratch("spec")
        _ = try Harness.copyCorpus(into: dir)
        let yaml = """
        name: bad
        inputs:
          paths: [corpus, missing-folder]
          formatz: [text]
        outputs:
          results: out/r.jsonl
        execution:
          workers: -1
        """
        try yaml.write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try Harness.run(["run", "bad.yaml"], cwd: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.yaml: inputs.formatz, line 4"), r.stderr)
        XCTAssertTrue(r.stderr.contains("unknown key 'formatz'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("inputs.paths[1], line 3"), r.stderr)
        XCTAssertTrue(r.stderr.contains("execution.workers, line 8"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path),
                       "nothing is written before the spec is valid")
        let typed = "inputs:\n  paths: [corpus]\noutputs:\n  results: out/r.jsonl\nexecution:\n  batch_size: many\n"
        try typed.write(to: dir.appendingPathComponent("typed.yaml"), atomically: true, encoding: .utf8)
        let t = try Harness.run(["run", "typed.yaml"], cwd: dir)
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.stderr.contains("typed.yaml: execution.batch_size, line 6"), t.stderr)
    }

    /// Two runs on the same journal: the second is refused (exit 2) while the first runs.
    func testSecondConcurrentRunIsRefused() throws {
        try Harness.requireIngest()
        let dir = try scratch("lock")
        _ = try Harness.textCorpus(into: dir, count: 20)
        let spec = try Harness.pipeline(in: dir, inputs: ["texts"], execution: "  workers: 1\n  batch_size: 1\n")
        let logs = dir.appendingPathComponent("first")
        let first = try Harness.start(["run", spec.path, "--no-progress"], cwd: dir, env: ["WENSHU_FAILPOINTS": "document.slow_ms=100"],
                                      stdoutFile: logs.appendingPathExtension("out"), stderrFile: logs.appendingPathExtension("err"))
        Thread.sleep(forTimeInterval: 0.5)
        let second = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        first.waitUntilExit()
        XCTAssertEqual(second.status, 2, second.stderr)
        XCTAssertTrue(second.stderr.contains("another run"), second.stderr)
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")).count, 20)
    }

    private func summaryOf(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/results.summary.json"))) as? [String: Any] ?? [:]
    }
}

extension Harness {
    /// Runs a system tool (mount, umount) and returns its status and stderr.
    static func runTool(_ path: String, _ args: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let err = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { return (127, "\(error)") }
        p.waitUntilExit()
        let s = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: err)
        return (p.terminationStatus, s)
    }
}
