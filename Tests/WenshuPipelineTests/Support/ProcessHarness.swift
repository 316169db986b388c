import Foundation
import XCTest

/// Runs the real `wenshu` binary in child processes, in scratch folders, and reads what it wrote.
enum Harness {
    /// The repository root, found from this file's path.
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static var fixtures: URL { repoRoot.appendingPathComponent("Tests/WenshuPipelineTests/Fixtures") }
    static var corpus: URL { fixtures.appendingPathComponent("corpus") }

    /// The `wenshu` executable built with the tests (`swift build --build-tests` builds both):
    /// next to the test bundle, else under .build/debug.
    static func binary() throws -> URL {
        var candidates = [URL]()
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("wenshu"))
        for b in Bundle.allBundles {
            candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("wenshu"))
        }
        candidates.append(repoRoot.appendingPathComponent(".build/debug/wenshu"))
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        throw XCTSkip("the wenshu executable was not found beside the tests (looked in \(candidates.map(\.path))); run `swift build --build-tests` first")
    }

    /// A fresh scratch folder.
    static func scratch(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("wenshu-pipeline-tests-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var reason: Process.TerminationReason
    }

    /// Starts `wenshu args...` in `cwd`; stdout and stderr go to files.
    static func start(_ args: [String], cwd: URL, env: [String: String] = [:], stdin: URL? = nil,
                      stdoutFile: URL, stderrFile: URL) throws -> Process {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = args
        p.currentDirectoryURL = cwd
        var e = ProcessInfo.processInfo.environment
        for k in ["JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
                  "SLURM_ARRAY_TASK_MIN", "WENSHU_SHARD_COUNT", "WENSHU_FAILPOINTS"] { e[k] = nil }
        for (k, v) in env { e[k] = v }
        p.environment = e
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        p.standardError = try FileHandle(forWritingTo: stderrFile)
        if let stdin { p.standardInput = try FileHandle(forReadingFrom: stdin) } else { p.standardInput = FileHandle.nullDevice }
        try p.run()
        return p
    }

    /// Runs `wenshu args...` to the end.
    @discardableResult
    static func run(_ args: [String], cwd: URL, env: [String: String] = [:], stdin: URL? = nil) throws -> Output {
        let tag = UUID().uuidString.prefix(8)
        let out = cwd.appendingPathComponent(".stdout-\(tag)"), err = cwd.appendingPathComponent(".stderr-\(tag)")
        let p = try start(args, cwd: cwd, env: env, stdin: stdin, stdoutFile: out, stderrFile: err)
        p.waitUntilExit()
        let o = Output(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", reason: p.terminationReason)
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return o
    }

    /// The JSON objects of a JSONL file (or text); fails the test on a line that is not a JSON object.
    static func jsonLines(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { l in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object line: \(l.prefix(200))", file: file, line: line)
                return nil
            }
            return obj
        }
    }

    static func jsonLines(at url: URL, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        jsonLines((try? String(contentsOf: url, encoding: .utf8)) ?? "", file: file, line: line)
    }

    /// Validates every line of the files against schemas/ with python3's jsonschema
    /// (through schemas/validate.py). Skips with the reason when python3 or jsonschema is missing.
    static func validateSchemas(_ files: [URL], file: StaticString = #filePath, line: UInt = #line) throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import jsonschema"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { throw XCTSkip("python3 is not available to validate schemas") }
        probe.waitUntilExit()
        if probe.terminationStatus != 0 { throw XCTSkip("python3's jsonschema is not installed: pip install jsonschema") }
        let existing = files.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard !existing.isEmpty else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", repoRoot.appendingPathComponent("schemas/validate.py").path] + existing.map(\.path)
        let errFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("validate-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        p.waitUntilExit()
        let msg = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errFile)
        XCTAssertEqual(p.terminationStatus, 0, "schema validation failed:\n\(msg)", file: file, line: line)
    }

    /// Copies the fixture corpus into `dir/corpus` and returns it.
    static func copyCorpus(into dir: URL) throws -> URL {
        let dest = dir.appendingPathComponent("corpus")
        try FileManager.default.copyItem(at: corpus, to: dest)
        return dest
    }

    /// A corpus of `count` one-document text files cut from the fixture judgments.
    static func textCorpus(into dir: URL, count: Int) throws -> URL {
        let dest = dir.appendingPathComponent("texts")
        try FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
        let records = jsonLines(try String(contentsOf: corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8))
        for i in 0..<count {
            let text = (records[i % records.count]["text"] as? String ?? "") + "\n第\(i)号副本。\n"
            try text.write(to: dest.appendingPathComponent(String(format: "doc-%03d.txt", i)), atomically: true, encoding: .utf8)
        }
        return dest
    }

    /// A pipeline file over `inputs` writing into `out/`, with extra YAML appended.
    static func pipeline(in dir: URL, name: String = "p", inputs: [String], extra: String = "",
                         execution: String = "  workers: 2\n  batch_size: 2\n") throws -> URL {
        let yaml = """
        name: \(name)
        inputs:
          paths: [\(inputs.map { "\"\($0)\"" }.joined(separator: ", "))]
        outputs:
          results: out/results.jsonl
        execution:
        \(execution)\(extra)
        """
        let url = dir.appendingPathComponent("\(name).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The ids of result or error lines.
    static func ids(_ lines: [[String: Any]]) -> [String] { lines.compactMap { $0["id"] as? String } }

    static func sourceKeys(_ lines: [[String: Any]]) -> [String] {
        lines.map { l in
            let s = l["source"] as? [String: Any] ?? [:]
            return "\(s["path"] ?? "?")#\(s["line"] ?? 0)#\(l["id"] ?? "")"
        }
    }
}

extension Harness {
    /// Skips when the binary's ingest layer is still the unimplemented stub (before the
    /// ingest work is merged): these tests need real documents to flow.
    static func requireIngest() throws {
        let dir = try scratch("probe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["ingest", corpus.appendingPathComponent("judgment-a.txt").path], cwd: dir)
        if r.stderr.contains("ingest.unimplemented") {
            throw XCTSkip("the ingest layer is not implemented in this build yet")
        }
    }
}

extension XCTestCase {
    /// A scratch folder removed when the test ends.
    func scratch(_ name: String) throws -> URL {
        let url = try Harness.scratch(name)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
