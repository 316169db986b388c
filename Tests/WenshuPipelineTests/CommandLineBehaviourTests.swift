import Foundation
import XCTest
import WenshuCore
@testable import WenshuPipeline

/// Issue 13 items 4, 7-10, 13, 14 and the "model found from anywhere" and `annotate` deliveries:
/// the real `wenshu` binary in child processes, on real documents and the real default bundle.
final class CommandLineBehaviourTests: XCTestCase {
    var defaultBundle: URL { Harness.repoRoot.appendingPathComponent("models/default") }

    /// Runs an executable (not necessarily the harness's binary path) to the end.
    func exec(_ exe: URL, _ args: [String], cwd: URL, env: [String: String] = [:], stdin: String? = nil) throws -> Harness.Output {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = cwd
        var e = ProcessInfo.processInfo.environment
        e["WENSHU_MODEL"] = nil
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = cwd.appendingPathComponent(".out-\(UUID().uuidString.prefix(6))"), err = cwd.appendingPathComponent(".err-\(UUID().uuidString.prefix(6))")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let inURL = cwd.appendingPathComponent(".in-\(UUID().uuidString.prefix(6))")
            try stdin.write(to: inURL, atomically: true, encoding: .utf8)
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        p.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return Harness.Output(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", reason: p.terminationReason)
    }

    // MARK: 4. no silent head replacement

    func testAddHeadAndTrainRefuseToReplaceAHeadWithoutReplace() throws {
        let dir = try scratch("replace")
        let bundle = dir.appendingPathComponent("b")
        try FileManager.default.copyItem(at: defaultBundle, to: bundle)
        let manifest = bundle.appendingPathComponent("manifest.json")
        let before = try Data(contentsOf: manifest)

        let add = try Harness.run(["model", "add-head", "b", "--from", defaultBundle.path, "--head", "charge"], cwd: dir)
        XCTAssertEqual(add.status, 2, add.stderr)
        XCTAssertTrue(add.stderr.contains("already has a head named 'charge'") && add.stderr.contains("--replace"), add.stderr)
        XCTAssertEqual(try Data(contentsOf: manifest), before, "the bundle is untouched")

        let train = try Harness.run(["train", "--task", "charge", "--kind", "multi_label", "--format", "cail2018",
                                     Harness.repoRoot.appendingPathComponent("samples/labelled/cail2018.jsonl").path,
                                     "--bundle", "b", "--epochs", "1"], cwd: dir)
        XCTAssertEqual(train.status, 2, train.stderr)
        XCTAssertTrue(train.stderr.contains("already has a head named charge") && train.stderr.contains("--replace"), train.stderr)
        XCTAssertFalse(train.stdout.contains("trained head"), "refused before training")
        XCTAssertEqual(try Data(contentsOf: manifest), before, "the bundle is untouched")

        let replaced = try Harness.run(["model", "add-head", "b", "--from", defaultBundle.path, "--head", "charge", "--replace"], cwd: dir)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stdout.contains("replaced head charge"), replaced.stdout)
        let heads = ((try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])?["heads"] as? [[String: Any]])?
            .compactMap { $0["name"] as? String }
        XCTAssertEqual(heads?.filter { $0 == "charge" }.count, 1, "still one charge head")
    }

    /// `model decisions`: a pipeline's model settings become the bundle's defaults (checked
    /// against its heads), `annotate` then runs with them, and `--clear` removes them.
    func testModelDecisionsFromAPipelineFile() throws {
        let dir = try scratch("decisions")
        let bundle = dir.appendingPathComponent("b")
        try FileManager.default.copyItem(at: defaultBundle, to: bundle)
        let pipeline = """
        inputs: {paths: [\(dir.path)]}
        model:
          bundle: elsewhere
          min_scores: {cause: 0.99}
          gates: {theft: {case_type: [民事]}}
        outputs: {results: \(dir.path)/r.jsonl}
        """
        try pipeline.write(to: dir.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let set = try Harness.run(["model", "decisions", "b", "--from", "p.yaml"], cwd: dir)
        XCTAssertEqual(set.status, 0, set.stderr)
        let shown = try Harness.run(["model", "inspect", "b"], cwd: dir)
        XCTAssertTrue(shown.stdout.contains("theft: runs when case_type in [民事]"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("charge in [盗窃]"), "the pipeline's settings replace the bundle's: \(shown.stdout)")
        let annotated = try Harness.run(["annotate", "--model", "b", "被告人张三于2019年5月1日窃取他人手机一部，价值人民币3000元。"], cwd: dir)
        XCTAssertEqual(annotated.status, 0, annotated.stderr)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(annotated.stdout.utf8)) as? [String: Any])
        let skipped = ((record["model"] as? [String: Any])?["skipped"] as? [String: String]) ?? [:]
        XCTAssertNotNil(skipped["theft"], "gated to civil cases now: \(skipped)")
        let classes = (record["classifications"] as? [[String: Any]] ?? []).compactMap { $0["task"] as? String }
        XCTAssertFalse(classes.contains("cause"), "no cause at 0.99")
        // A head the bundle does not have is refused, and the bundle keeps what it had.
        try pipeline.replacingOccurrences(of: "theft:", with: "thief:").write(to: dir.appendingPathComponent("q.yaml"), atomically: true, encoding: .utf8)
        let bad = try Harness.run(["model", "decisions", "b", "--from", "q.yaml"], cwd: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("no head named 'thief'"), bad.stderr)
        XCTAssertTrue(try Harness.run(["model", "inspect", "b"], cwd: dir).stdout.contains("theft: runs when case_type in [民事]"))
        let cleared = try Harness.run(["model", "decisions", "b", "--clear"], cwd: dir)
        XCTAssertEqual(cleared.status, 0, cleared.stderr)
        XCTAssertTrue(cleared.stdout.contains("no default decisions"), cleared.stdout)
        XCTAssertFalse(try Harness.run(["model", "inspect", "b"], cwd: dir).stdout.contains("default decisions"))
    }

    // MARK: 7. exit codes and usage

    func testUsageErrorsExit64WithTheCommandsUsage() throws {
        let dir = try scratch("usage")
        let spec = try Harness.pipeline(in: dir, inputs: ["."])
        for args in [["run", spec.path, "--workers", "-1"], ["ingest", ".", "--workers", "-1"], ["filter", spec.path, "--workers", "-1"]] {
            let r = try Harness.run(args, cwd: dir)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--workers must be 0 (one worker per core) or a positive number, not '-1'"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Missing value"), r.stderr)
            XCTAssertTrue(r.stderr.contains("Usage: wenshu \(args[0])"), r.stderr)
        }
        // A usage error found while the command runs: that command's usage, not the top level's.
        let train = try Harness.run(["train", "--task", "x"], cwd: dir)
        XCTAssertEqual(train.status, 64, train.stderr)
        XCTAssertTrue(train.stderr.contains("Usage: wenshu train"), train.stderr)
        XCTAssertFalse(train.stderr.contains("SUBCOMMANDS"), train.stderr)
        XCTAssertTrue(train.stderr.contains("See 'wenshu train --help'"), train.stderr)
    }

    func testWatchOnceExitsOneWhenAFileFailed() throws {
        try Harness.requireIngest()
        let dir = try scratch("watch-exit")
        let inbox = dir.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Harness.corpus.appendingPathComponent("judgment-a.txt"), to: inbox.appendingPathComponent("a.txt"))
        let spec = try Harness.pipeline(in: dir, inputs: ["inbox"], extra: "watch:\n  inbox: inbox\n")
        let ok = try Harness.run(["watch", spec.path, "--once", "--settle-ms", "0"], cwd: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        try Data().write(to: inbox.appendingPathComponent("empty.txt"))
        let bad = try Harness.run(["watch", spec.path, "--once", "--settle-ms", "0"], cwd: dir)
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("1 failed"), bad.stderr)
    }

    // MARK: 8. run --check

    func testCheckReportsAMissingBundleAndEveryBadKey() throws {
        let dir = try scratch("check")
        let spec = dir.appendingPathComponent("p.yaml")
        try """
        inputs:
          paths: [.]
        model:
          bundle: models/defualt
        outputs:
          results: out/r.jsonl
        execution:
          wokers: 2
          batch_sise: 4
        """.write(to: spec, atomically: true, encoding: .utf8)
        let r = try Harness.run(["run", spec.path, "--check"], cwd: dir)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("config.bundle_missing") && r.stderr.contains("models/defualt") && r.stderr.contains("line 4"), r.stderr)
        XCTAssertTrue(r.stderr.contains("wokers") && r.stderr.contains("batch_sise"), "both bad keys: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("is valid"), r.stderr)

        // A bad value does not hide an unknown key elsewhere (decoding stops at the first bad value).
        let typed = dir.appendingPathComponent("t.yaml")
        try "inputs:\n  paths: [.]\noutputs:\n  results: out/r.jsonl\n  include_txt: true\nexecution:\n  workers: two\n".write(to: typed, atomically: true, encoding: .utf8)
        let t = try Harness.run(["run", typed.path, "--check"], cwd: dir)
        XCTAssertEqual(t.status, 2, t.stderr)
        XCTAssertTrue(t.stderr.contains("include_txt") && t.stderr.contains("execution.workers"), "both problems: \(t.stderr)")

        // The same file with the bundle given on the command line instead: only the keys remain.
        let withModel = try Harness.run(["run", spec.path, "--check", "--model", defaultBundle.path], cwd: dir)
        XCTAssertEqual(withModel.status, 2)
        XCTAssertFalse(withModel.stderr.contains("bundle_missing"), withModel.stderr)
        // --model naming a folder that does not exist is refused too.
        try "inputs:\n  paths: [.]\noutputs:\n  results: out/r.jsonl\n".write(to: spec, atomically: true, encoding: .utf8)
        let missing = try Harness.run(["run", spec.path, "--check", "--model", "nowhere"], cwd: dir)
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nowhere") && missing.stderr.contains("bundle"), missing.stderr)
        let good = try Harness.run(["run", spec.path, "--check", "--model", defaultBundle.path], cwd: dir)
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stderr.contains("is valid"), good.stderr)
    }

    // MARK: 9. empty input, SIGINT

    func testEmptyInputFolderFailsLoudly() throws {
        let dir = try scratch("empty")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in"), withIntermediateDirectories: true)
        let spec = try Harness.pipeline(in: dir, inputs: ["in"])
        let run = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("no input documents under in"), run.stderr)
        let ingest = try Harness.run(["ingest", "in"], cwd: dir)
        XCTAssertEqual(ingest.status, 2, ingest.stderr)
        XCTAssertTrue(ingest.stderr.contains("no input files under in"), ingest.stderr)
    }

    func testSIGINTEndsRunWithAMessageAndARerunResumes() throws {
        try Harness.requireIngest()
        let dir = try scratch("sigint")
        _ = try Harness.textCorpus(into: dir, count: 12)
        let spec = try Harness.pipeline(in: dir, inputs: ["texts"], execution: "  workers: 1\n  batch_size: 2\n")
        let out = dir.appendingPathComponent("o.log"), err = dir.appendingPathComponent("e.log")
        let p = try Harness.start(["run", spec.path, "--no-progress"], cwd: dir, env: ["WENSHU_FAILPOINTS": "document.slow_ms=150"],
                                  stdoutFile: out, stderrFile: err)
        // Wait (generously) until the first part is committed, then interrupt.
        let parts = dir.appendingPathComponent("out/results.journal.sqlite.parts")
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline
                && ((try? FileManager.default.contentsOfDirectory(atPath: parts.path)) ?? []).isEmpty { usleep(20_000) }
        XCTAssertTrue(p.isRunning, "the run should still be going")
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted (SIGINT)") && stderr.contains("run the same command again to resume"), stderr)
        let again = try Harness.run(["run", spec.path, "--no-progress"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        let ids = Harness.ids(Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl")))
        XCTAssertEqual(ids.count, 12)
        XCTAssertEqual(Set(ids).count, 12, "every document exactly once")
    }

    // MARK: 10. messages

    func testPlainMessagesForAMissingBundleAndAPDF() throws {
        let dir = try scratch("messages")
        let inspect = try Harness.run(["model", "inspect", "/nonexistent"], cwd: dir)
        XCTAssertEqual(inspect.status, 2)
        XCTAssertTrue(inspect.stderr.contains("/nonexistent") && inspect.stderr.contains("no such bundle folder"), inspect.stderr)
        // A real (minimal, well-formed) PDF with one line of Chinese-free text.
        let pdf = """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """
        try (Data(pdf.utf8) + Data([0x00, 0xE2, 0xE3, 0xCF, 0xD3])).write(to: dir.appendingPathComponent("judgment.pdf"))
        let r = try Harness.run(["ingest", "judgment.pdf"], cwd: dir)
        XCTAssertEqual(r.status, 1)
        let e = Harness.jsonLines(r.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }.joined(separator: "\n"))
        XCTAssertEqual(e.first?["code"] as? String, "format.unsupported")
        XCTAssertTrue((e.first?["message"] as? String ?? "").hasPrefix("PDF is not supported"), "\(e)")
    }

    // MARK: 13. help and docs

    func testHelpTextsShowDefaultsAndTheWatchKeysAreDocumented() throws {
        let dir = try scratch("help")
        let train = try Harness.run(["train", "--help"], cwd: dir)
        XCTAssertEqual(train.status, 0)
        XCTAssertFalse(train.stdout.contains("TrainingPlan"), "no Swift type names in help")
        for d in ["(default: 12)", "(default: 0.005)", "(default: 16)", "--replace"] { XCTAssertTrue(train.stdout.contains(d), d) }
        // No sentence broken by a hard line end before its last word (the old "% 10 == 0\nfor early stopping").
        let flat = train.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        XCTAssertTrue(flat.contains("is held out as the dev split"), train.stdout)

        let readme = try String(contentsOf: Harness.repoRoot.appendingPathComponent("pipelines/README.md"), encoding: .utf8)
        let watchKeys = PipelineSpecLoader.knownKeys["watch"] ?? []
        XCTAssertGreaterThan(watchKeys.count, 10)
        for k in watchKeys { XCTAssertTrue(readme.contains("| `\(k)` |"), "pipelines/README.md documents watch.\(k)") }
        let watchHelp = try Harness.run(["watch", "--help"], cwd: dir)
        XCTAssertTrue(watchHelp.stdout.contains("pipelines/README.md"), watchHelp.stdout)
    }

    // MARK: 14. choosing the JSON text field

    func testIngestChoosesTheJSONTextField() throws {
        try Harness.requireIngest()
        guard let data = DataLocation.folder() else { throw XCTSkip("the shared data is not there: set WENSHU_DATA") }
        let dir = try scratch("textfield")
        let lines = try String(contentsOf: data.appendingPathComponent("civil-loans/documents.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(30)
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("loans.jsonl"), atomically: true, encoding: .utf8)
        let without = try Harness.run(["ingest", "loans.jsonl", "-o", "r0.jsonl", "--errors", "e0.jsonl"], cwd: dir)
        XCTAssertEqual(without.status, 1)
        let e0 = Harness.jsonLines(at: dir.appendingPathComponent("e0.jsonl"))
        XCTAssertEqual(e0.count, 30)
        XCTAssertTrue((e0.first?["message"] as? String ?? "").contains("--json-text-field"), "the error says how to choose")
        let with = try Harness.run(["ingest", "loans.jsonl", "--json-text-field", "C", "--json-text-field", "A", "--include-text"], cwd: dir)
        XCTAssertEqual(with.status, 0, with.stderr)
        let results = Harness.jsonLines(with.stdout)
        XCTAssertEqual(results.count, 30)
        for (r, l) in zip(results, lines) {
            let rec = (try JSONSerialization.jsonObject(with: Data(l.utf8))) as? [String: Any] ?? [:]
            let expected = (rec["C"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? rec["A"] as? String
            XCTAssertEqual(r["text"] as? String, expected?.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    // MARK: annotate, and a model found from anywhere

    func testAnnotateOneDocumentFromTheArgumentOrStdin() throws {
        let dir = try scratch("annotate")
        let text = "被告人张三盗窃人民币500元。"
        let arg = try Harness.run(["annotate", "--model", defaultBundle.path, text], cwd: dir)
        XCTAssertEqual(arg.status, 0, arg.stderr)
        XCTAssertGreaterThan(arg.stdout.split(separator: "\n").count, 5, "pretty-printed")
        let rec = try JSONSerialization.jsonObject(with: Data(arg.stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(rec["schema"] as? String, "wenshu.result/1")
        XCTAssertTrue((rec["id"] as? String ?? "").hasPrefix("sha256:"))
        let tasks = Set((rec["classifications"] as? [[String: Any]] ?? []).compactMap { $0["task"] as? String })
        XCTAssertTrue(tasks.contains("charge"), "\(tasks)")
        XCTAssertNotNil(rec["model"])

        let stdin = try exec(try Harness.binary(), ["annotate", "--model", defaultBundle.path, "--heads", "charge", "-"], cwd: dir, stdin: text + "\n")
        XCTAssertEqual(stdin.status, 0, stdin.stderr)
        let r2 = try JSONSerialization.jsonObject(with: Data(stdin.stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual((r2["classifications"] as? [[String: Any]] ?? []).compactMap { $0["task"] as? String }, ["charge"])
        XCTAssertEqual(r2["id"] as? String, rec["id"] as? String, "same text, same id")

        let unknown = try Harness.run(["annotate", "--model", defaultBundle.path, "--heads", "charges", text], cwd: dir)
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("no head named charges") && unknown.stderr.contains("charge"), unknown.stderr)
    }

    /// `wenshu errors` lists the catalogue (a group, or all as README's Markdown table) and
    /// names the groups when a prefix matches nothing.
    func testErrorsListsTheCatalogue() throws {
        let dir = try scratch("errors")
        let read = try Harness.run(["errors", "read"], cwd: dir)
        XCTAssertEqual(read.status, 0, read.stderr)
        let lines = read.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, ErrorCode.read.all.count)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("read.") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("read.symlink ") && $0.contains("not followed") }, read.stdout)
        let md = try Harness.run(["errors", "--markdown"], cwd: dir)
        XCTAssertEqual(md.stdout, ErrorCode.markdownTable)
        let none = try Harness.run(["errors", "nosuchgroup"], cwd: dir)
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("groups: bundle, config"), none.stderr)
    }

    func testTheModelIsFoundFromAnyFolder() throws {
        let dir = try scratch("anywhere")
        let prefix = dir.appendingPathComponent("prefix")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("share/wenshu/models"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: prefix.appendingPathComponent("bin/wenshu"), withDestinationURL: try Harness.binary())
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)

        // Nothing installed, nothing in ./models: a clear error naming where it looked.
        let none = try exec(prefix.appendingPathComponent("bin/wenshu"), ["model", "inspect"], cwd: elsewhere)
        XCTAssertEqual(none.status, 2, none.stderr)
        XCTAssertTrue(none.stderr.contains("no model bundle found") && none.stderr.contains("share/wenshu/models/default")
                      && none.stderr.contains("WENSHU_MODEL"), none.stderr)

        // Installed beside the binary: found from any folder.
        try FileManager.default.copyItem(at: defaultBundle, to: prefix.appendingPathComponent("share/wenshu/models/default"))
        let installed = try exec(prefix.appendingPathComponent("bin/wenshu"), ["model", "inspect"], cwd: elsewhere)
        XCTAssertEqual(installed.status, 0, installed.stderr)
        XCTAssertTrue(installed.stdout.contains(prefix.appendingPathComponent("share/wenshu/models/default").path), installed.stdout)
        let annotated = try exec(prefix.appendingPathComponent("bin/wenshu"), ["annotate", "被告人张三盗窃人民币500元。"], cwd: elsewhere)
        XCTAssertEqual(annotated.status, 0, annotated.stderr)

        // WENSHU_MODEL wins over the installed bundle; --model wins over both.
        let env = try exec(prefix.appendingPathComponent("bin/wenshu"), ["model", "inspect"], cwd: elsewhere, env: ["WENSHU_MODEL": "/nonexistent-model"])
        XCTAssertEqual(env.status, 2)
        XCTAssertTrue(env.stderr.contains("/nonexistent-model"), env.stderr)
        let flag = try exec(prefix.appendingPathComponent("bin/wenshu"), ["model", "inspect", defaultBundle.path], cwd: elsewhere,
                            env: ["WENSHU_MODEL": "/nonexistent-model"])
        XCTAssertEqual(flag.status, 0, flag.stderr)
        // The bundle's default decisions are shown.
        XCTAssertTrue(flag.stdout.contains("default decisions"), flag.stdout)
        XCTAssertTrue(flag.stdout.contains("theft: runs when charge in [盗窃] >= 0.3 on judgments; case_type in [刑事]"), flag.stdout)

        // ./models/default last: from a checkout's root.
        let local = try exec(try Harness.binary(), ["model", "inspect"], cwd: Harness.repoRoot)
        XCTAssertEqual(local.status, 0, local.stderr)
    }
}

/// The shared data folder: WENSHU_DATA, else a `shared/data` found walking up from the repository.
enum DataLocation {
    static func folder() -> URL? {
        if let env = ProcessInfo.processInfo.environment["WENSHU_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
        var url = Harness.repoRoot
        while url.path != "/" {
            let c = url.appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: c.path) { return c }
            url.deleteLastPathComponent()
        }
        return nil
    }
}
