import Foundation
import XCTest
import WenshuCore
@testable import WenshuModel

/// LAC's pieces that need no weights: the dictionary readers, the Viterbi decode against
/// brute force, BIO grouping, and the refusal of a missing LAC folder.
final class LACDecoderTests: XCTestCase {
    func testTagDicLaterLinesWinAndUnnamedIdsReadAsNB() throws {
        let set = try LACTagSet(tagDic: "0\ta-B\n1\ta-I\n2\tnr-B\n3\tnr-I\n2\tPER-B\n3\tPER-I\n4\tO\n", count: 6)
        XCTAssertEqual(set.names, ["a-B", "a-I", "PER-B", "PER-I", "O", "n-B"])
        XCTAssertEqual(set.labels, ["a", "a", "PER", "PER", "O", "n"])
        XCTAssertEqual(set.inside, [false, true, false, true, false, false])
        XCTAssertThrowsError(try LACTagSet(tagDic: "0\ta-B\n9\tx-B\n", count: 6, path: "t.dic")) { e in
            XCTAssertEqual((e as! WenshuError).code, "lac.bad_tags")
            XCTAssertEqual((e as! WenshuError).location?.line, 2)
        }
    }

    func testVocabularyMapsLikeTheWrapper() throws {
        // word.dic: ids, a multi-character word, an OOV entry; q2b: full-width and traditional forms,
        // one whose target is not in the vocabulary. CRLF and a line without a tab.
        let words = "0\t \r\n1\tA\n2\ta\n3\t与\n4\t中国\n5\tOOV\nbroken line\n6\t，\n"
        let q2b = "Ａ\tA\n與\t与\n，\t,\n"
        let v = try LACVocabulary(wordDic: words, q2bDic: q2b)
        XCTAssertEqual(v.oovID, 5)
        XCTAssertEqual(v.rowCount, 7)
        XCTAssertEqual(v.ids(Array("Ａa與中 ，Z".unicodeScalars)), [1, 2, 3, 5, 0, 5, 5])
        // Without an OOV entry the wrapper falls back to id 0.
        XCTAssertEqual(try LACVocabulary(wordDic: "0\tx\n1\ty\n", q2bDic: "").id("z"), 0)
        XCTAssertThrowsError(try LACVocabulary(wordDic: "0\tx\nq\ty\n", q2bDic: "", wordPath: "w.dic")) { e in
            XCTAssertEqual((e as! WenshuError).code, "lac.bad_vocabulary")
            XCTAssertEqual((e as! WenshuError).location?.line, 2)
        }
    }

    func testViterbiFindsTheBestPathAndBreaksTiesLikeArgmax() {
        var rng = SystemRandomNumberGenerator()
        let n = 4
        let tags = LACTagSet(names: ["a-B", "a-I", "b-B", "b-I"])
        for trial in 0..<30 {
            let length = 1 + trial % 6
            // Scores on a coarse grid so that ties happen.
            let tr = (0..<(n * n)).map { _ in Float(Int.random(in: -3...3, using: &rng)) }
            let em = (0..<(length * n)).map { _ in Float(Int.random(in: -3...3, using: &rng)) }
            let dec = LACDecoder(tags: tags, transitions: tr)
            let path = em.withUnsafeBufferPointer { dec.viterbi($0, count: length) }
            func score(_ p: [Int]) -> Float {
                var s = em[p[0]]
                for t in 1..<p.count { s += tr[p[t - 1] * n + p[t]] + em[t * n + p[t]] }
                return s
            }
            var best = -Float.infinity
            for code in 0..<Int(pow(Double(n), Double(length))) {
                var c = code, p: [Int] = []
                for _ in 0..<length { p.append(c % n); c /= n }
                best = max(best, score(p))
            }
            XCTAssertEqual(score(path), best, "trial \(trial)")
        }
        // All-equal scores: numpy's argmax takes the first index everywhere.
        let flat = LACDecoder(tags: tags, transitions: [Float](repeating: 0, count: n * n))
        let zeros = [Float](repeating: 1, count: 3 * n)
        XCTAssertEqual(zeros.withUnsafeBufferPointer { flat.viterbi($0, count: 3) }, [0, 0, 0])
        XCTAssertEqual([Float]().withUnsafeBufferPointer { flat.viterbi($0, count: 0) }, [])
    }

    func testWordsGroupInsideTagsOfAnyLabel() {
        let dec = LACDecoder(tags: LACTagSet(names: ["n-B", "n-I", "PER-B", "PER-I", "O"]), transitions: [Float](repeating: 0, count: 25))
        // As the wrapper: an -I tag continues whatever word is open, whatever its label; a word takes its first tag's label.
        XCTAssertEqual(dec.words([2, 3, 3, 0, 1, 4, 1, 4]),
                       [LACWord(start: 0, end: 3, tag: "PER"), LACWord(start: 3, end: 5, tag: "n"),
                        LACWord(start: 5, end: 7, tag: "O"), LACWord(start: 7, end: 8, tag: "O")])
        XCTAssertEqual(dec.wordStarts([1, 1, 0, 3]), [true, false, true, false])
    }

    func testMissingFolderSaysHowToImport() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-nolac-\(UUID().uuidString)")
        XCTAssertThrowsError(try LACNetwork(folder: dir)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.code, "lac.missing_weights")
            XCTAssertTrue(w.message.contains("bash scripts/import-lac.sh"), w.message)
        }
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try LACNetwork(folder: dir)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.code, "lac.missing_weights")
            XCTAssertEqual(w.path, dir.appendingPathComponent("lac.safetensors").path)
        }
    }
}
