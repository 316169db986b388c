import Foundation
import XCTest
import WenshuCore
@testable import WenshuPipeline

/// The pipeline file: decoding, unknown keys, types and ranges, with file, line and key.
final class SpecLoaderTests: XCTestCase {
    func testEveryPipelineInTheRepositoryIsValid() throws {
        let dir = Harness.repoRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for f in files {
            let spec = try PipelineSpecLoader.load(path: dir.appendingPathComponent(f).path, checkInputs: false)
            XCTAssertFalse(spec.inputs.paths.isEmpty, f)
            XCTAssertTrue(spec.outputs.results.hasPrefix("out/"), "\(f) writes into out/")
        }
        let watch = try PipelineSpecLoader.load(path: dir.appendingPathComponent("watch.yaml").path, checkInputs: false)
        XCTAssertNotNil(watch.watch?.inbox)
    }

    func testProblemsCarryFileLineAndKey() throws {
        let yaml = """
        name: x
        inputs:
          paths: [a]
          globz: ["*.txt"]
        model:
          bundle: models/default
          thresholds: {charge: 1.5}
        outputs:
          results: out/r.jsonl
          summery: out/s.json
        """
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: yaml, path: "p.yaml", checkInputs: false)) { error in
            guard let e = error as? PipelineSpecError else { return XCTFail("\(error)") }
            let byKey = Dictionary(e.problems.map { ($0.location?.within ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(byKey["inputs.globz"]?.location?.line, 4)
            XCTAssertEqual(byKey["inputs.globz"]?.code, "config.unknown_key")
            XCTAssertEqual(byKey["outputs.summery"]?.location?.line, 10)
            XCTAssertEqual(byKey["model.thresholds.charge"]?.code, "config.range")
            XCTAssertTrue(e.problems.allSatisfy { $0.path == "p.yaml" && $0.stage == .config })
        }
    }

    func testMissingKeyAndBadEnumAndBadYAML() throws {
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: "inputs:\n  paths: [a]\n", path: "m.yaml", checkInputs: false)) { error in
            let p = (error as? PipelineSpecError)?.problems.first
            XCTAssertEqual(p?.code, "config.missing_key")
            XCTAssertTrue(p?.message.contains("outputs") ?? false, "\(String(describing: p))")
        }
        let badEnum = "inputs:\n  paths: [a]\n  formats: [text, pdf]\noutputs:\n  results: out/r.jsonl\n"
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: badEnum, path: "e.yaml", checkInputs: false)) { error in
            let p = (error as? PipelineSpecError)?.problems.last
            XCTAssertEqual(p?.location?.line, 3)
            XCTAssertEqual(p?.location?.within, "inputs.formats[1]")
        }
        XCTAssertThrowsError(try PipelineSpecLoader.parse(yaml: "inputs: [a\n", path: "y.yaml", checkInputs: false)) { error in
            XCTAssertEqual((error as? PipelineSpecError)?.problems.first?.code, "config.yaml")
        }
    }

    func testDefaultsAndFingerprint() throws {
        let yaml = "inputs:\n  paths: [a]\noutputs:\n  results: out/r.jsonl\n"
        let spec = try PipelineSpecLoader.parse(yaml: yaml, path: "d.yaml", checkInputs: false)
        XCTAssertEqual(spec.errorsPath, "out/r.errors.jsonl")
        XCTAssertEqual(spec.journalPath, "out/r.journal.sqlite")
        XCTAssertEqual(spec.resolvedBatchSize, 16)
        XCTAssertEqual(spec.resolvedWorkers, ProcessInfo.processInfo.activeProcessorCount)
        var other = spec
        other.outputs.includeText = true
        XCTAssertNotEqual(spec.fingerprint, other.fingerprint, "what a line holds changes the fingerprint")
        var sameWork = spec
        sameWork.execution = .init(workers: 7)
        XCTAssertEqual(spec.fingerprint, sameWork.fingerprint, "worker count does not")
    }

    func testGlobs() {
        XCTAssertTrue(Glob("*.txt").matches("a/b/c.txt"))
        XCTAssertFalse(Glob("*.txt").matches("a/b/c.xml"))
        XCTAssertTrue(Glob("sub/**/*.xml").matches("sub/x/y/z.xml"))
        XCTAssertTrue(Glob("sub/**/*.xml").matches("sub/z.xml"))
        XCTAssertFalse(Glob("sub/*.xml").matches("sub/x/z.xml"))
        XCTAssertTrue(Glob("doc-[0-9]?.txt").matches("doc-12.txt"))
    }
}
