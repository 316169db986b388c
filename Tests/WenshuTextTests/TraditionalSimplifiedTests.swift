import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// ICU's Traditional-Simplified transliterator through the pooled normalizer.
final class TraditionalSimplifiedTests: XCTestCase {
    func testConvertsCharacterByCharacterWithExactAlignment() throws {
        let t2s = try TraditionalToSimplifiedNormalizer()
        let out = try t2s.normalize(NormalizedText(unchanged: "中華人民共和國刑法第一條：被告人張某，1990年出生。"))
        XCTAssertEqual(out.string, "中华人民共和国刑法第一条：被告人张某，1990年出生。")
        XCTAssertEqual(out.text.count, out.source.count)
        for i in 0..<out.text.count { XCTAssertEqual(out.alignment.sourceRange(i..<(i + 1)), i..<(i + 1)) }
    }

    func testFixtureSentencesRoundTrip() throws {
        // Pairs made with OpenCC s2t from real sentences (see Fixtures/FIXTURES.md).
        let lines = try TestPaths.fixture("t2s-pairs.tsv").split(separator: "\n")
        let t2s = try TraditionalToSimplifiedNormalizer()
        var exact = 0, chars = 0, same = 0
        for line in lines {
            let cols = line.split(separator: "\t").map(String.init)
            guard cols.count == 2 else { continue }
            let got = try t2s.convert(cols[0])
            if got == cols[1] { exact += 1 }
            for (a, b) in zip(got.unicodeScalars, cols[1].unicodeScalars) { chars += 1; if a == b { same += 1 } }
        }
        XCTAssertGreaterThan(lines.count, 20)
        XCTAssertGreaterThanOrEqual(Double(same) / Double(chars), 0.995, "character agreement")
        XCTAssertGreaterThanOrEqual(Double(exact) / Double(lines.count), 0.8, "sentence agreement")
    }

    func testConcurrentUseGivesTheSameResults() throws {
        let text = try TestPaths.fixture("t2s-pairs.tsv").split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        let analyzer = try TextAnalyzer(config: TextConfig(normalization: [.traditionalToSimplified, .nfkc, .whitespace]))
        let serial = try text.map { try analyzer.analyze($0).normalized.string }
        var results = [[String]](repeating: [], count: 8)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            let r = text.map { (try? analyzer.analyze($0).normalized.string) ?? "error" }
            lock.lock(); results[k] = r; lock.unlock()
        }
        for r in results { XCTAssertEqual(r, serial) }
    }
}
