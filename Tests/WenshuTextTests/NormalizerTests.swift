import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Each normalizer on real snippets: what changes, what stays, and where it maps back to.
final class NormalizerTests: XCTestCase {
    func run(_ n: any Normalizer, _ s: String) throws -> NormalizedText { try n.normalize(NormalizedText(unchanged: s)) }

    func testNFKCFoldsCompatibilityCharactersButKeepsChinesePunctuation() throws {
        let n = try UnicodeFormNormalizer(step: .nfkc)
        let out = try run(n, "被告人（原审被告人）唐甲，男。ＡＢＣ１２３㈠①“判决”《刑法》：是否？")
        XCTAssertEqual(out.string, "被告人（原审被告人）唐甲，男。ABC123(一)1“判决”《刑法》：是否？")
        // ㈠ became three scalars, each mapping to the one source scalar.
        let k = Array(out.string.unicodeScalars).firstIndex(of: "(")!
        XCTAssertEqual(out.sourceSpan(k..<(k + 3)).text, "㈠")
        // Without protection NFKC turns Chinese punctuation into ASCII.
        let plain = try UnicodeFormNormalizer(step: .nfkc, protectChinesePunctuation: false)
        XCTAssertEqual(try run(plain, "（一），是否？").string, "(一),是否?")
    }

    func testNFCComposesCombiningSequences() throws {
        let n = try UnicodeFormNormalizer(step: .nfc)
        let out = try run(n, "Cafe\u{301}案")
        XCTAssertEqual(out.string, "Café案")
        XCTAssertEqual(out.sourceSpan(3..<4).text, "e\u{301}")
        XCTAssertEqual(out.sourceSpan(4..<5).text, "案")
    }

    func testFullwidthToHalfwidthLeavesChinesePunctuation() throws {
        let out = try run(FullwidthNormalizer(), "闽Ｃ×××××二轮摩托车，１８１．５４ｍｇ／１００ｍｌ（醉酒）。\u{3000}ＤＮＡ")
        XCTAssertEqual(out.string, "闽C×××××二轮摩托车，181.54mg/100ml（醉酒）。 DNA")
        XCTAssertEqual(out.alignment, .identity(length: out.text.count))
        let ascii = try run(FullwidthNormalizer(keepChinesePunctuation: false), "（醉酒），")
        XCTAssertEqual(ascii.string, "(醉酒),")
    }

    func testWhitespaceJoinsSpacedTitlesAndKeepsParagraphs() throws {
        let src = "重庆市渝中区人民法院\r\n民 事 判 决 书\r\n\r\n  (2018)渝0103民初21102号\n审\u{3000}判\u{3000}长\u{3000}\u{3000}张大庆\n金额 2015.58 元\u{200B}整\u{A0}\n"
        let out = try run(WhitespaceNormalizer(), src)
        XCTAssertEqual(out.string, "重庆市渝中区人民法院\n民事判决书\n(2018)渝0103民初21102号\n审判长张大庆\n金额 2015.58 元整")
        // The title maps back to the spaced original.
        let lines = out.string.components(separatedBy: "\n")
        let start = lines[0].unicodeScalars.count + 1
        XCTAssertEqual(out.sourceSpan(start..<(start + 5)).text, "民 事 判 决 书")
    }

    func testSpacedTitleStepOnlyJoinsChinese() throws {
        let out = try run(WhitespaceNormalizer(onlyBetweenCJK: true), "民 事 判 决 书\n2018 年  A  B")
        XCTAssertEqual(out.string, "民事判决书\n2018 年  A  B")
    }

    func testControlCharactersRemovedTabsAndNewlinesKept() throws {
        let out = try run(ControlCharacterNormalizer(), "被告\u{0}人\t张某\u{7}\r\n原告\r李某\u{1B}")
        XCTAssertEqual(out.string, "被告人\t张某\n原告\n李某")
        XCTAssertEqual(out.sourceSpan(0..<3).text, "被告\u{0}人")
    }

    func testChinesePunctuationToASCII() throws {
        let out = try run(ChinesePunctuationNormalizer(), "（一）被告人张某，男；“是”【注】。")
        XCTAssertEqual(out.string, "(一)被告人张某,男;\"是\"[注]。")
    }

    func testChainComposesAlignments() throws {
        let chain = try NormalizerChain(config: TextConfig(normalization: [.controlCharacters, .nfkc, .fullwidthToHalfwidth, .whitespace]))
        let src = "刑 事 判 决 书\u{7}\n（２０２０）浙０７０２刑初６６２号\u{3000}\n"
        let out = try chain.normalize(src)
        XCTAssertEqual(out.string, "刑事判决书\n（2020）浙0702刑初662号")
        let k = Array(out.string.unicodeScalars).firstIndex(of: "浙")!
        XCTAssertEqual(out.sourceSpan(k..<(k + 5)).text, "浙０７０２")
        XCTAssertEqual(out.sourceSpan(0..<5).text, "刑 事 判 决 书")
    }

    func testTextConfigDecodesSnakeCaseWithDefaults() throws {
        let empty = try JSONDecoder().decode(TextConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(empty, TextConfig())
        let json = #"{"normalization": ["nfc", "traditional_to_simplified", "spaced_title", "chinese_punctuation_to_ascii"], "keep_chinese_punctuation": false, "words": true}"#
        let c = try JSONDecoder().decode(TextConfig.self, from: Data(json.utf8))
        XCTAssertEqual(c.normalization, [.nfc, .traditionalToSimplified, .spacedTitle, .chinesePunctuationToASCII])
        XCTAssertFalse(c.keepChinesePunctuation)
        XCTAssertTrue(c.words)
        XCTAssertTrue(c.structure)
        XCTAssertThrowsError(try JSONDecoder().decode(TextConfig.self, from: Data(#"{"normalization": ["nfkd"]}"#.utf8)))
        XCTAssertThrowsError(try UnicodeFormNormalizer(step: .whitespace)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "text.bad_step")
        }
    }
}
