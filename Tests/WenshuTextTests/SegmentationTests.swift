import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Sentence and word segmentation on real snippets.
final class SegmentationTests: XCTestCase {
    func sentences(_ s: String) -> [String] {
        let t = ScalarText(s)
        return SentenceSegmenter().sentences(t).map { t.slice($0) }
    }

    func testSentenceEndsQuotesAndSemicolons() {
        let s = "被告人羊双彪犯赌博罪。辩护人提出：“被告人系初犯。”法院认为？本院认为……如下；并处罚金！"
        XCTAssertEqual(sentences(s), ["被告人羊双彪犯赌博罪。", "辩护人提出：“被告人系初犯。”", "法院认为？", "本院认为……", "如下；", "并处罚金！"])
    }

    func testNumberedItemsAndNewlines() {
        let s = "判决如下：一、被告人羊双彪犯赌博罪，判处有期徒刑一年；二、退出的违法所得予以没收。\n（一）书证1、《常住人口信息表》\n1.被告徐先标支付工资款30000元\n2.5万元不是条目"
        XCTAssertEqual(sentences(s), ["判决如下：", "一、被告人羊双彪犯赌博罪，判处有期徒刑一年；", "二、退出的违法所得予以没收。",
                                      "（一）书证1、《常住人口信息表》", "1.被告徐先标支付工资款30000元", "2.5万元不是条目"])
        XCTAssertEqual(SentenceSegmenter.itemMarkerLength(Array("（十二）".unicodeScalars), at: 0), 4)
        XCTAssertEqual(SentenceSegmenter.itemMarkerLength(Array("2.5万".unicodeScalars), at: 0), 0)
    }

    func testSentencesOfARealJudgmentCoverItsText() throws {
        let text = try TestPaths.fixture("web-civil-judgment.txt")
        let t = ScalarText(text)
        let ranges = SentenceSegmenter().sentences(t)
        XCTAssertGreaterThan(ranges.count, 20)
        // Ordered, disjoint, and everything outside them is whitespace.
        var last = 0
        for r in ranges {
            XCTAssertGreaterThanOrEqual(r.lowerBound, last)
            XCTAssert(t.scalars[last..<r.lowerBound].allSatisfy { $0.properties.isWhitespace })
            last = r.upperBound
        }
        XCTAssertTrue(ranges.map { t.slice($0) }.contains("本案收取受理费50元，由被告赵庆云承担。"))
    }

    func testICUDictionaryWordBreaks() throws {
        let words = try WordSegmenter().words("中华人民共和国刑法第一条，被告人张某盗窃人民币3,500元。")
        let texts = words.map(\.text)
        XCTAssertEqual(Array(texts.prefix(3)), ["中华", "人民", "共和国"])
        XCTAssertTrue(texts.contains("刑法"))
        XCTAssertTrue(texts.contains("被告人") || texts.contains("被告"))
        XCTAssertEqual(words.first { $0.text == "3,500" }?.kind, .number)
        XCTAssertEqual(words.first { $0.text == "刑法" }?.kind, .ideographic)
        XCTAssertTrue(try WordSegmenter(skipPunctuation: true).words("你好，世界。").allSatisfy { $0.kind != .other })
        XCTAssertEqual(try WordSegmenter().words(""), [])
    }

    func testWordOffsetsCountScalarsAcrossSupplementaryCharacters() throws {
        // 𠀀 (U+20000) is two UTF-16 units but one scalar.
        let text = "𠀀𠀁被告人张某𡈽盗窃"
        let t = ScalarText(text)
        let words = try WordSegmenter().words(t)
        for w in words { XCTAssertEqual(t.slice(w.range), w.text) }
        XCTAssertEqual(words.last?.range.upperBound, t.count)
        XCTAssertEqual(words.map(\.text).joined(), text)
        let u = UTF16Text(t.scalars)
        XCTAssertEqual(u.units.count, t.count + 3)
        XCTAssertEqual(u.scalarOffset(utf16: 2), 1)
        XCTAssertEqual(u.scalarOffset(utf16: 3), 1)
        XCTAssertEqual(u.unitOffset[2], 4)
    }

    func testAnalyzeRunsWordsOnlyWhenAsked() throws {
        let text = try TestPaths.fixture("judgment-first-instance.txt")
        XCTAssertTrue(try TextAnalyzer().analyze(text).words.isEmpty)
        let a = try TextAnalyzer(config: TextConfig(words: true)).analyze(text)
        XCTAssertGreaterThan(a.words.count, 100)
        for w in a.words.prefix(200) { XCTAssertEqual(a.normalized.text.slice(w.range), w.text) }
    }
}
