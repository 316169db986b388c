import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// The charges a judgment names in its own words (`DocumentStructure.charges`, issue 9): on
/// sentences as courts write them, on a real sample judgment, and against the titles of the
/// 264 real judgments in ../shared/data.
final class ChargeNameParserTests: XCTestCase {
    /// Names found in `text` read as one section of `kind`.
    private func names(_ text: String, _ kind: SectionKind = .reasoning) -> [String] {
        let t = RuleText(text)
        return ChargeNameParser().parse(t, sections: [Section(kind: kind, start: 0, end: t.count)]).map(\.name)
    }

    func testTriggersCourtsUse() {
        XCTAssertEqual(names("本院认为，被告人黄勇以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。"), ["盗窃"])
        XCTAssertEqual(names("被告人张某犯盗窃罪，判处有期徒刑六个月。", .decision), ["盗窃"])
        XCTAssertEqual(names("公诉机关认为，应当以故意伤害罪追究其刑事责任。", .claims), ["故意伤害"])
        XCTAssertEqual(names("被告人李某因涉嫌贩卖毒品罪于2019年3月1日被刑事拘留。", .procedure), ["贩卖毒品"])
        XCTAssertEqual(names("被告人王某犯有诈骗罪。", .decision), ["诈骗"])
    }

    func testNamesThatHoldListsTriggersAndZui() {
        XCTAssertEqual(names("其行为已构成走私、贩卖、运输、制造毒品罪。"), ["走私、贩卖、运输、制造毒品"])
        XCTAssertEqual(names("其行为已构成掩饰、隐瞒犯罪所得、犯罪所得收益罪。"), ["掩饰、隐瞒犯罪所得、犯罪所得收益"])
        // 以 inside the name after 构成; 犯 inside the name after another 犯 is not what opens it.
        XCTAssertEqual(names("其行为已构成以危险方法危害公共安全罪。"), ["以危险方法危害公共安全"])
        XCTAssertEqual(names("被告人赵某犯以危险方法危害公共安全罪，判处有期徒刑三年。", .decision), ["以危险方法危害公共安全"])
        XCTAssertEqual(names("被告人张某犯盗窃罪、诈骗罪，数罪并罚。", .decision), ["盗窃", "诈骗"])
        XCTAssertEqual(names("一、被告人张某犯盗窃罪、被告人李某犯抢夺罪。", .decision), ["盗窃", "抢夺"])
        XCTAssertEqual(names("被告人犯[走私、贩卖、运输、制造]毒品罪。", .decision), ["走私、贩卖、运输、制造毒品"])
    }

    func testPriorConvictionsRejectedChargesAndWordsAreNotNames() {
        XCTAssertEqual(names("被告人曾因犯盗窃罪于2015年被判处有期徒刑一年，系累犯。", .facts), [])
        XCTAssertEqual(names("辩护人提出被告人不构成盗窃罪的辩护意见，本院不予采纳。"), [])
        XCTAssertEqual(names("其行为构成犯罪，依法应予惩处；被告人认罪认罚，数罪并罚。"), [])
        XCTAssertEqual(names("足以证实被告人的犯罪事实；五年内再犯应当判处有期徒刑以上刑罚之罪，是累犯。", .facts), [])
        XCTAssertEqual(names("在缓刑考验期内发现判决宣告以前还有其他罪没有判决的。", .facts), [])
    }

    func testEachNameOnceFromTheLatestSection() {
        let text = "公诉机关指控被告人犯盗窃罪。经审理查明，被告人盗窃财物。本院认为，被告人的行为已构成盗窃罪。"
        let t = RuleText(text)
        let claims = Section(kind: .claims, start: 0, end: 14)
        let reasoning = Section(kind: .reasoning, start: 28, end: t.count)
        XCTAssertEqual(t.slice(reasoning.start..<reasoning.start + 4), "本院认为")
        let found = ChargeNameParser().parse(t, sections: [claims, reasoning])
        XCTAssertEqual(found.map(\.name), ["盗窃"])
        XCTAssertEqual(found.first?.section, "reasoning")
        if let f = found.first { XCTAssertEqual(t.slice(f.start..<f.end), "盗窃") }
    }

    /// samples/documents/criminal-theft-619.txt: the title (黄勇盗窃二审刑事判决书) is not read;
    /// the procedure's 指控原审被告人黄勇犯盗窃罪 is, with offsets into the extracted text.
    func testSampleJudgmentNamesItsChargeOutsideTheTitle() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("samples/documents/criminal-theft-619.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let a = try TextAnalyzer().analyze(text)
        let charges = a.structure.charges
        XCTAssertEqual(Set(charges.map(\.name)), ["盗窃"], "\(charges)")
        let header = try XCTUnwrap(a.structure.sections.first { $0.kind == .header })
        for c in charges {
            XCTAssertGreaterThanOrEqual(c.start, header.end, "not from the title")
            XCTAssertEqual(a.normalized.source.slice(c.start..<c.end), c.name)
        }
    }

    /// The 264 judgments of ../shared/data/judgments-fulltext: where the title names a charge of
    /// CAIL's list (accu.txt) in the words before 刑事判决书, how often the body names it too
    /// (the same name, or one holding it or held by it: 贩卖毒品 in 走私、贩卖、运输、制造毒品), and
    /// how often a name the body gives is such a title charge. Printed; the floors sit below.
    func testNamedChargesAgreeWithTheTitlesOfRealJudgments() throws {
        let url = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        let list = try String(contentsOf: try TestPaths.sharedData("cail2018-charges/accu.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { $0.filter { $0 != "[" && $0 != "]" } }.filter { !$0.isEmpty }
        let analyzer = try TextAnalyzer()
        var titled = 0, found = 0, names = 0, agreeing = 0, none = 0
        for r in try TestPaths.jsonLines(url) {
            let text = r["text"] as? String ?? ""
            guard let t = text.range(of: "刑事判决书") ?? text.range(of: "刑事裁定书") else { continue }
            let title = String(text[..<t.lowerBound].suffix(60))
            let a = try analyzer.analyze(text)
            let src = a.normalized.source
            let charges = a.structure.charges
            for c in charges {
                XCTAssertEqual(src.slice(c.start..<c.end).filter { $0 != "[" && $0 != "]" }, c.name)
            }
            let inTitle = list.filter { title.contains($0) }
            let titleCharges = inTitle.filter { c in !inTitle.contains { $0 != c && $0.contains(c) } }
            guard !titleCharges.isEmpty else { continue }
            titled += 1
            if charges.isEmpty { none += 1 }
            func same(_ n: String) -> Bool { titleCharges.contains { $0 == n || $0.contains(n) || n.contains($0) } }
            if charges.contains(where: { same($0.name) }) { found += 1 }
            names += charges.count
            agreeing += charges.filter { same($0.name) }.count
        }
        let recall = Double(found) / Double(max(titled, 1)), precision = Double(agreeing) / Double(max(names, 1))
        say("named charges on real judgments: the title's charge named in the body \(found)/\(titled) = \(String(format: "%.3f", recall)); "
            + "names that are a title charge \(agreeing)/\(names) = \(String(format: "%.3f", precision)); judgments naming none \(none)")
        XCTAssertGreaterThan(titled, 150)
        XCTAssertGreaterThan(recall, 0.9)
        XCTAssertGreaterThan(precision, 0.75)
    }
}
