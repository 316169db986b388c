import XCTest
@testable import WenshuModel

/// A charge as a judgment names it mapped to the charge head's labels (CAIL's names, with
/// selective charges written as one label).
final class ChargeNameMatcherTests: XCTestCase {
    let labels = ["盗窃", "诈骗", "合同诈骗", "走私、贩卖、运输、制造毒品", "非法持有毒品", "窝藏、包庇", "生产、销售假药",
                  "生产、销售有毒、有害食品", "非法持有、私藏枪支、弹药", "非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物",
                  "虚开增值税专用发票、用于骗取出口退税、抵扣税款发票", "掩饰、隐瞒犯罪所得、犯罪所得收益"]

    func testExactNamesAndChoicesOfSelectiveCharges() {
        let m = ChargeNameMatcher(labels: labels)
        let cases: [(String, String?)] = [
            ("盗窃", "盗窃"), ("诈骗", "诈骗"), ("合同诈骗", "合同诈骗"), ("非法持有毒品", "非法持有毒品"),
            ("贩卖毒品", "走私、贩卖、运输、制造毒品"), ("贩卖、运输毒品", "走私、贩卖、运输、制造毒品"),
            ("运输毒品", "走私、贩卖、运输、制造毒品"), ("窝藏", "窝藏、包庇"), ("包庇", "窝藏、包庇"),
            ("销售假药", "生产、销售假药"), ("生产有毒、有害食品", "生产、销售有毒、有害食品"),
            ("销售有毒、有害食品", "生产、销售有毒、有害食品"), ("非法持有枪支", "非法持有、私藏枪支、弹药"),
            ("非法制造枪支", "非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物"),
            ("非法制造、储存爆炸物", "非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物"),
            ("虚开增值税专用发票", "虚开增值税专用发票、用于骗取出口退税、抵扣税款发票"),
            ("掩饰、隐瞒犯罪所得", "掩饰、隐瞒犯罪所得、犯罪所得收益"),
        ]
        for (name, want) in cases { XCTAssertEqual(m.label(for: name), want, name) }
    }

    func testOtherChargesFitNoLabel() {
        let m = ChargeNameMatcher(labels: labels)
        // Not 合同诈骗 for 信用卡诈骗, not a drug label for a different crime, no reordering.
        for name in ["信用卡诈骗", "生产、销售伪劣产品", "容留他人吸毒", "毒品", "制造走私毒品", "非法持有弹药枪支", "抢夺"] {
            XCTAssertNil(m.label(for: name), name)
        }
    }
}
