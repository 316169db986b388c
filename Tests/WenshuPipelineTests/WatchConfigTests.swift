import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore

/// The `watch:` section: decoded once by the pipeline loader (`PipelineSpec.WatchSpec`), its
/// defaults applied (`WatchOptions`), its folders resolved (`WatchConfiguration`).
final class WatchConfigTests: XCTestCase {
    func testRepositoryWatchPipelineLoads() throws {
        let path = WatchTestSupport.repoRoot.appendingPathComponent("pipelines/watch.yaml").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("pipelines/watch.yaml is not in this checkout") }
        let (spec, o) = try WatchPipelineConfig.load(path: path)
        XCTAssertEqual(o.inbox, spec.watch?.inbox)
        XCTAssertEqual(o.pipelineVersion, spec.fingerprint)
        XCTAssertNoThrow(try o.validate(path: path))
    }

    func testExtensionKeysAndSpecKeysCombine() throws {
        let yaml = """
        inputs:
          paths: [in]
        outputs:
          results: out/w/results.jsonl
          errors: out/e/errors.jsonl
          journal: out/state/journal.sqlite
        watch:
          inbox: 收件 箱
          done: archive/done
          settle_seconds: 0.25
          rotate_megabytes: 2
          keep_rotated: 3
          rescan_seconds: 4
          on_done: keep
          http_port: 0
          ignore_suffixes: [".uploading", ".lock"]
        """
        let (_, o) = try WatchPipelineConfig.parse(yaml: yaml, path: "w.yaml")
        XCTAssertEqual(o.inbox, "收件 箱")
        XCTAssertEqual(o.doneDir, "archive/done")
        XCTAssertEqual(o.settleMs, 250)
        XCTAssertEqual(o.rotateBytes, 2 * 1_048_576)
        XCTAssertEqual(o.keepRotated, 3)
        XCTAssertEqual(o.rescanSeconds, 4)
        XCTAssertEqual(o.onDone, .keep)
        XCTAssertEqual(o.ignoreSuffixes, [".uploading", ".lock"])
        XCTAssertTrue(o.outputDir.hasSuffix("out/w"))
        XCTAssertTrue(o.errorsDir?.hasSuffix("out/e") == true)
        XCTAssertEqual(o.errorsPrefix, "errors")
        XCTAssertTrue(o.stateDir?.hasSuffix("out/state") == true)
        let r = o.resolved(against: "/srv/wenshu")
        XCTAssertEqual(r.inbox, "/srv/wenshu/收件 箱")
        XCTAssertEqual(r.failedDir, "/srv/wenshu/收件 箱/failed")
    }

    /// A typo is an error with its line (from the batch loader, lines kept after blanking).
    func testUnknownKeyIsReportedWithItsLine() {
        let yaml = """
        inputs:
          paths: [in]
        outputs:
          results: out/results.jsonl
        watch:
          inbox: in
          settle_ms: 10
          setle_seconds: 1
        """
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: yaml, path: "w.yaml")) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "config.unknown_key")
            XCTAssertEqual(w?.location?.line, 8)
        }
    }

    func testBadValuesAreErrors() {
        let base = "inputs:\n  paths: [in]\noutputs:\n  results: out/r.jsonl\nwatch:\n  inbox: in\n"
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: base + "  batch: 0\n", path: "w.yaml")) {
            XCTAssertEqual(($0 as? WenshuError)?.location?.within, "watch.batch")
        }
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: base + "  on_done: shred\n", path: "w.yaml"))
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: base + "  ignore_suffixes: .x\n", path: "w.yaml")) {
            XCTAssertEqual(($0 as? WenshuError)?.location?.within, "watch.ignore_suffixes")
        }
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: base + "  http_port: 70000\n", path: "w.yaml")) {
            XCTAssertEqual(($0 as? WenshuError)?.location?.line, 7)
        }
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: "inputs:\n  paths: [in]\noutputs:\n  results: o.jsonl\n",
                                                           path: "w.yaml")) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "config.missing")
        }
    }

    /// Every key the README's table documents is a key the section decodes, and no other.
    func testTheDocumentedKeysAreTheDecodedKeys() throws {
        let readme = WatchTestSupport.repoRoot.appendingPathComponent("pipelines/README.md").path
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else {
            throw XCTSkip("pipelines/README.md is not in this checkout")
        }
        guard let start = text.range(of: "## The watch section") else { return XCTFail("no watch section in the README") }
        let section = text[start.upperBound...]
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        var documented: [String] = []
        for line in section[..<end].split(separator: "\n") where line.hasPrefix("| `") {
            let key = line.dropFirst(3).prefix { $0 != "`" }
            documented.append(String(key))
        }
        XCTAssertEqual(documented, PipelineSpec.WatchSpec.keys)
        XCTAssertEqual(Set(PipelineSpec.WatchSpec.CodingKeys.allCases.map(\.stringValue)), Set(documented))
        XCTAssertEqual(PipelineSpecLoader.knownKeys["watch"], documented)
    }

    /// Each documented key, written in the file (block lists too), reaches the configuration.
    func testEveryDocumentedKeyDecodes() throws {
        let yaml = """
        inputs:
          paths: [in]
        outputs:
          results: out/w/res.jsonl
        watch:
          inbox: in
          done: d
          failed: f
          settle_seconds: 2
          rotate_megabytes: 3
          keep_rotated: 4
          settle_ms: 150
          rescan_seconds: 6
          on_done: keep
          batch: 7
          status_every_ms: 800
          http_port: 8321
          ignore_suffixes:
            - .uploading
          output_dir: o
          state_dir: s
          rotate_bytes: 9000
          open_limit_seconds: 42
        """
        let (_, o) = try WatchPipelineConfig.parse(yaml: yaml, path: "w.yaml")
        XCTAssertEqual(o.inbox, "in"); XCTAssertEqual(o.doneDir, "d"); XCTAssertEqual(o.failedDir, "f")
        XCTAssertEqual(o.settleMs, 150, "settle_ms wins over settle_seconds")
        XCTAssertEqual(o.rotateBytes, 9000, "rotate_bytes wins over rotate_megabytes")
        XCTAssertEqual(o.keepRotated, 4); XCTAssertEqual(o.rescanSeconds, 6); XCTAssertEqual(o.onDone, .keep)
        XCTAssertEqual(o.batch, 7); XCTAssertEqual(o.statusEveryMs, 800); XCTAssertEqual(o.httpPort, 8321)
        XCTAssertEqual(o.ignoreSuffixes, [".uploading"]); XCTAssertEqual(o.outputDir, "o"); XCTAssertEqual(o.stateDir, "s")
        XCTAssertEqual(o.openLimitSeconds, 42)
        XCTAssertEqual(o.resultsPrefix, "res")
    }

    /// The one rule: relative paths (from the file's `watch:` and `outputs:`) are taken against the
    /// current folder of the process (the base given), never against the pipeline file's folder.
    func testRelativePathsResolveAgainstTheCurrentFolder() throws {
        let yaml = """
        inputs:
          paths: [in]
        outputs:
          results: out/w/results.jsonl
          errors: errors.jsonl
          journal: ../state/j.sqlite
        watch:
          inbox: ./inbox/
          failed: /abs/failed
        """
        let (_, o) = try WatchPipelineConfig.parse(yaml: yaml, path: "/etc/wenshu/pipelines/w.yaml")
        let c = o.resolved(against: "/srv/run")
        XCTAssertEqual(c.inbox, "/srv/run/inbox")
        XCTAssertEqual(c.doneDir, "/srv/run/inbox/done")
        XCTAssertEqual(c.failedDir, "/abs/failed")
        XCTAssertEqual(c.outputDir, "/srv/run/out/w")
        XCTAssertEqual(c.errorsDir, "/srv/run")
        XCTAssertEqual(c.stateDir, "/srv/state")
        XCTAssertFalse([c.inbox, c.doneDir, c.outputDir, c.errorsDir, c.stateDir].contains { $0.hasPrefix("/etc/wenshu") })
        XCTAssertEqual(WatchOptions.resolve("a/../b//c/", against: "/x"), "/x/b/c")
        XCTAssertEqual(WatchOptions.resolve("/y/z", against: "/x"), "/y/z")
    }

    /// Command-line overrides land before resolution: a new inbox brings its own done/failed.
    func testAnInboxOverrideMovesTheDefaultDoneAndFailedFolders() throws {
        var o = WatchOptions(inbox: "a", outputDir: "out")
        o.inbox = "b"
        let c = o.resolved(against: "/r")
        XCTAssertEqual(c.doneDir, "/r/b/done")
        XCTAssertEqual(c.failedDir, "/r/b/failed")
        XCTAssertEqual(c.stateDir, "/r/out")
        XCTAssertEqual(c.errorsDir, "/r/out")
    }
}
