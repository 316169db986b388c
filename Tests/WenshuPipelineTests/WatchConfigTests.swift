import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore

/// The `watch:` section read through the batch pipeline's loader plus the watch's own keys.
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
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: base + "  ignore_suffixes:\n    - .x\n", path: "w.yaml"))
        XCTAssertThrowsError(try WatchPipelineConfig.parse(yaml: "inputs:\n  paths: [in]\noutputs:\n  results: o.jsonl\n",
                                                           path: "w.yaml")) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "config.missing")
        }
    }
}
