import Foundation
import XCTest
import WenshuCore
import WenshuIngest
@testable import WenshuPipeline
#if canImport(Glibc)
import Glibc
#endif

/// Hostile inputs on real files (issue 11, defects 2-6): a FIFO, links out of the input
/// folder and in a loop, Latin-1 and GBK byte names, a file deleted during the walk, and a
/// 50 MB single-line document. Every input path ends in the results or the errors, no run
/// hangs, and nothing outside the input folders is read.
final class InputSafetyTests: XCTestCase {
    /// Real judgment texts from the fixture corpus.
    private func judgments(_ n: Int) throws -> [String] {
        let lines = Harness.jsonLines(try String(contentsOf: Harness.corpus.appendingPathComponent("judgments.jsonl"), encoding: .utf8))
        let texts = lines.compactMap { $0["text"] as? String }.filter { $0.count > 200 }
        XCTAssertGreaterThanOrEqual(texts.count, 1)
        return (0..<n).map { texts[$0 % texts.count] + "\n第\($0)号。\n" }
    }

    /// Creates a file whose name is raw bytes (not necessarily UTF-8) in `dir`.
    private func writeRaw(dir: URL, name: [UInt8], text: String) throws {
        var path = Array(dir.path.utf8) + [0x2F] + name
        path.append(0)
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: path.count) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        XCTAssertGreaterThanOrEqual(fd, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Runs the binary with a deadline (a hang fails the test instead of stalling it).
    private func runBounded(_ args: [String], cwd: URL, seconds: Double = 120) throws -> (status: Int32, stderr: String) {
        let err = cwd.appendingPathComponent(".stderr-\(UUID().uuidString.prefix(6))")
        let p = try Harness.start(args, cwd: cwd, stdoutFile: cwd.appendingPathComponent(".stdout"), stderrFile: err)
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL); p.waitUntilExit()
            XCTFail("wenshu \(args.joined(separator: " ")) did not finish within \(Int(seconds)) s (a blocking input?)")
        }
        return (p.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    private func path(_ l: [String: Any]) -> String { (l["source"] as? [String: Any])?["path"] as? String ?? "" }

    func testFifoLinksAndByteNamesEachEndAsOneLineAndNothingOutsideIsRead() throws {
        try Harness.requireIngest()
        let dir = try scratch("inputs")
        let inDir = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inDir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let texts = try judgments(5)
        try texts[0].write(to: inDir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try texts[1].write(to: inDir.appendingPathComponent("sub/b.txt"), atomically: true, encoding: .utf8)
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)
        let gbk: [UInt8] = [0xC5, 0xD0, 0xBE, 0xF6, 0xCA, 0xE9] + Array(".txt".utf8) // 判决书 in GBK
        try writeRaw(dir: inDir, name: latin1, text: texts[2])
        try writeRaw(dir: inDir, name: gbk, text: texts[3])
        // A file outside the input folder that a link points at: its text must never appear.
        let secret = dir.appendingPathComponent("secret.txt")
        try "root:x:0:0:SECRET-MARKER-7731:/root:/bin/bash\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: inDir.appendingPathComponent("secret-link.txt").path, withDestinationPath: secret.path)
        try FileManager.default.createSymbolicLink(atPath: inDir.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: inDir.appendingPathComponent("alias.txt").path, withDestinationPath: "a.txt")
        XCTAssertEqual(mkfifo(inDir.appendingPathComponent("pipe.txt").path, 0o644), 0)

        // ingest: no hang, one line per input path.
        let ing = try runBounded(["ingest", "in", "-o", "ing.jsonl", "--errors", "ing-errors.jsonl", "--include-text"], cwd: dir)
        XCTAssertEqual(ing.status, 1, ing.stderr)
        let ir = Harness.jsonLines(at: dir.appendingPathComponent("ing.jsonl"))
        let ie = Harness.jsonLines(at: dir.appendingPathComponent("ing-errors.jsonl"))
        XCTAssertEqual(ir.count, 4, "a, sub/b and the two byte-named files: \(ir.map(path))")
        XCTAssertEqual(Set(ie.map { "\(path($0).split(separator: "/").last ?? ""):\($0["code"] ?? "")" }),
                       ["pipe.txt:read.not_regular", "secret-link.txt:read.symlink", "loop:read.symlink", "alias.txt:read.symlink"])
        XCTAssertTrue(ie.first { path($0).hasSuffix("pipe.txt") }.map { ($0["message"] as? String ?? "").contains("FIFO") } ?? false)
        let raw = try String(contentsOf: dir.appendingPathComponent("ing.jsonl"), encoding: .utf8)
            + (try String(contentsOf: dir.appendingPathComponent("ing-errors.jsonl"), encoding: .utf8))
        XCTAssertFalse(raw.contains("SECRET-MARKER-7731"), "a link out of the input folder was read")
        // Byte names: escaped in records, and the escape gives back the exact bytes.
        let names = Set(ir.map { RawPath.unescape(path($0)) })
        XCTAssertTrue(names.contains(Array("in/".utf8) + latin1), "\(ir.map(path))")
        XCTAssertTrue(names.contains(Array("in/".utf8) + gbk), "\(ir.map(path))")
        XCTAssertTrue(ir.map(path).contains("in/caf\\xE9.txt"))
        let byName = Dictionary(ir.map { (RawPath.unescape(path($0)), $0["text"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byName[Array("in/".utf8) + gbk].map { $0.hasPrefix(String(texts[3].prefix(20))) }, true)

        // run with follow_symlinks: the loop is walked once, the alias is a.txt read once,
        // the link outside is refused.
        let spec = try Harness.pipeline(in: dir, inputs: ["in"], extra: "  retries: 0\n", execution: "  workers: 1\n  batch_size: 2\n")
        var yaml = try String(contentsOf: spec, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "inputs:\n", with: "inputs:\n  follow_symlinks: true\n")
        try yaml.write(to: spec, atomically: true, encoding: .utf8)
        let run = try runBounded(["run", spec.lastPathComponent], cwd: dir)
        XCTAssertEqual(run.status, 1, run.stderr)
        let rr = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        let re = Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl"))
        XCTAssertEqual(rr.count, 4, "each regular file once, whatever links reach it: \(rr.map(path))")
        XCTAssertEqual(Set(rr.map { $0["source"] as? [String: Any] }.compactMap { $0?["sha256"] as? String }).count, 4)
        XCTAssertEqual(Set(re.map { "\(path($0).split(separator: "/").last ?? ""):\($0["code"] ?? "")" }),
                       ["pipe.txt:read.not_regular", "secret-link.txt:read.symlink_outside"])
        let all = try String(contentsOf: dir.appendingPathComponent("out/results.jsonl"), encoding: .utf8)
            + (try String(contentsOf: dir.appendingPathComponent("out/results.errors.jsonl"), encoding: .utf8))
        XCTAssertFalse(all.contains("SECRET-MARKER-7731"))
        try Harness.validateSchemas([dir.appendingPathComponent("out/results.jsonl"), dir.appendingPathComponent("out/results.errors.jsonl")])
    }

    func testAFileDeletedDuringTheWalkGetsAnErrorLine() throws {
        let dir = try scratch("vanish")
        let texts = try judgments(3)
        for (i, t) in texts.enumerated() {
            try t.write(to: dir.appendingPathComponent("f\(i).txt"), atomically: true, encoding: .utf8)
        }
        var seen: [Result<String, WenshuError>] = []
        try InputFiles(paths: [dir.path]).forEach { r in
            seen.append(r)
            // While the walk is at f0, delete f1 (listed, not yet examined) and, when f2 is
            // handed over, delete it before it is read.
            if case let .success(p) = r, p.hasSuffix("f0.txt") { try FileManager.default.removeItem(atPath: dir.path + "/f1.txt") }
        }
        XCTAssertEqual(seen.count, 3)
        guard case let .failure(e) = seen[1] else { return XCTFail("f1 should be an error: \(seen[1])") }
        XCTAssertEqual(e.code, "read.vanished")
        XCTAssertEqual(e.path, dir.path + "/f1.txt")
        try FileManager.default.removeItem(atPath: dir.path + "/f2.txt")
        let docs = IngestService().documents(atPath: dir.path + "/f2.txt")
        XCTAssertEqual(docs.count, 1)
        if case let .failure(e2) = docs.first { XCTAssertEqual(e2.code, "read.vanished") } else { XCTFail("\(docs)") }
    }

    /// A 50 MB single-line judgment beside a normal one: the huge one is refused with
    /// `document.too_large` before it is read whole, the normal one gets its result, and the
    /// child's peak resident memory (ru_maxrss, measured by a python3 wrapper) stays under 600 MB.
    func testA50MBSingleLineDocumentIsRefusedWithinAMemoryBound() throws {
        try Harness.requireIngest()
        let dir = try scratch("huge")
        let inDir = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inDir, withIntermediateDirectories: true)
        let texts = try judgments(2)
        try texts[0].write(to: inDir.appendingPathComponent("normal.txt"), atomically: true, encoding: .utf8)
        let line = Array(texts[1].replacingOccurrences(of: "\n", with: "").utf8)
        let fd = open(inDir.appendingPathComponent("huge.txt").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var written = 0
        while written < 50 << 20 { written += line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        close(fd)
        let spec = try Harness.pipeline(in: dir, inputs: ["in"], execution: "  workers: 1\n  batch_size: 2\n")
        let wrapper = """
        import resource, subprocess, sys
        r = subprocess.run(sys.argv[1:])
        print("MAXRSS_KB=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
        sys.exit(r.returncode)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", wrapper, try Harness.binary().path, "run", spec.lastPathComponent]
        p.currentDirectoryURL = dir
        let errURL = dir.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw XCTSkip("python3 is needed to measure the child's peak memory") }
        p.waitUntilExit()
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 1, stderr)
        let rss = stderr.components(separatedBy: "MAXRSS_KB=").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertNotNil(rss, stderr)
        XCTAssertLessThan(rss ?? .max, 600 * 1024, "peak RSS \(rss ?? -1) KB")
        let rr = Harness.jsonLines(at: dir.appendingPathComponent("out/results.jsonl"))
        let re = Harness.jsonLines(at: dir.appendingPathComponent("out/results.errors.jsonl"))
        XCTAssertEqual(rr.map(path), ["in/normal.txt"])
        XCTAssertEqual(re.map(path), ["in/huge.txt"])
        XCTAssertEqual(re.first?["code"] as? String, "document.too_large")
        XCTAssertTrue((re.first?["message"] as? String ?? "").contains("max_document_chars"))
    }

    func testTheEscapeIsReversibleForEveryByte() {
        var samples: [[UInt8]] = [Array("plain/名字.txt".utf8), [0x5C, 0x78, 0x41], [0xE9, 0x5C], [0xC5, 0xD0, 0xBE, 0xF6],
                                  [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]
        samples.append((0...255).map { UInt8($0) })
        for s in samples {
            let e = RawPath.escape(s)
            XCTAssertEqual(RawPath.unescape(e), s, e)
            XCTAssertNotNil(String(validating: Array(e.utf8), as: UTF8.self))
        }
        XCTAssertEqual(RawPath.escape(Array("in/判决.txt".utf8)), "in/判决.txt", "valid names are written as they are")
    }
}
