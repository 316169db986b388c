import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Money needs a unit or currency in money context (issue 13, item 1), checked on the real
/// sentences of ../shared/data/judgments-fulltext that showed the wrong amounts.
final class MoneyContextTests: XCTestCase {
    private func money(_ s: String) -> [MoneyAmount] { MoneyParser().parseAll(RuleText(s)) }

    func testANumberInANameIsNotMoney() {
        let s = "珠海市香洲区人民检察院以珠香检公诉刑诉〔2018〕801号起诉书指控被告人王四元犯窝藏罪，于2018年5月28日向本院提起公诉。"
        XCTAssertEqual(money(s).map(\.text), [])
        XCTAssertEqual(money("被告人王四元辩称其不知道").map(\.text), [])
        XCTAssertEqual(money("经审理查明，2018年2月27日，被告人王四元使用张某（因涉嫌组织").map(\.text), [])
        // 张 is a surname and a measure word: after a count it counts notes (real sentences).
        XCTAssertEqual(money("科威（车主马某某）副驾驶玻璃砸碎，偷走3张一元面额人民币。").map(\.value), [1])
        XCTAssertEqual(money("输管理所对面的人行道上，蒲某给了伍某某一张一元纸币，内包有海洛因").map(\.value), [1])
    }

    func testBlockWithoutMoneyContextIsAMeasureWord() {
        // Three real sentences where 块 counts pieces or means "together".
        let plain = [
            "其之前在汪里村海边捕鱼，80年代与崔华胜一块在海边盖了一大间房子，当时花了500—600元钱。",
            "船上下来二三十个小伙子手里拿砍刀、木棍，让其不要动，并把其两块手机拿去了，不让和外界联系。",
            "为遏制滥挖现象，研究选择一块荒地取砂对堤坝和养殖池进行维护，由宗传存施工，采砂护坝行为未取得采矿许可证。",
            "湖路和时风路的13个公交候车亭玻璃损毁，共计32块。",
        ]
        for s in plain { XCTAssertFalse(money(s).contains { $0.text.hasSuffix("块") }, s) }
        XCTAssertEqual(money(plain[0]).map(\.value), [600])
        XCTAssertEqual(money("责令立即停止违法采矿行为，罚款一万元。李某5证实村内历史上形成了多处采砂点，研究选择一块荒地取砂").map(\.value), [10000])
    }

    func testBlockWithMoneyContextIsMoney() {
        // Real sentences: 块钱, 价值, a total in a sentence about money.
        XCTAssertEqual(money("们答应“地主”要是能保一台大车安全运出伊通的话给他5000块钱。").map(\.value), [5000])
        XCTAssertEqual(money("郭某乙给我钱的时候说我大哥（郭某甲）让我给你两千块钱，我就收下").map(\.value), [2000])
        XCTAssertEqual(money("再有十多天就下犊子了，挺胖。两头牛价值两万块。").map(\.value), [20000])
    }

    /// On the 264 judgments: every amount ending in 块 printed for review (docs/TEXT.md), and
    /// every amount with a surname before a Chinese numeral is gone.
    func testBlockAmountsOnTheJudgments() throws {
        let url = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        let records = try TestPaths.jsonLines(url)
        var total = 0, blocks: [String] = []
        for r in records {
            let text = RuleText(r["text"] as? String ?? "")
            for m in MoneyParser().parseAll(text) {
                total += 1
                XCTAssertEqual(text.slice(m.start..<m.end), m.text)
                XCTAssertNotEqual(m.text, "四元", "the name 王四元 read as money")
                if m.text.hasSuffix("块") {
                    blocks.append(text.slice(max(0, m.start - 20)..<min(text.count, m.end + 6)).replacingOccurrences(of: "\n", with: " "))
                }
            }
        }
        say("judgments-fulltext: \(total) money amounts, \(blocks.count) ending in 块:")
        for b in blocks { say("  块: \(b)") }
        XCTAssertGreaterThan(total, 1000)
        XCTAssertLessThan(blocks.count, 20)
    }
}
