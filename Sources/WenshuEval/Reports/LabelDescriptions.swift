/// What the label codes of the shared labelled sets mean, for the report's legend: the
/// CAIL2021 theft roles and the CAIL2022 drug entities (from the data's README), and the
/// LEVEN triggers' codes where a set uses them.
public enum LabelDescriptions {
    /// Code -> meaning.
    public static let known: [String: String] = [
        "NHCS": "犯罪嫌疑人 suspect", "NHVI": "受害人 victim", "NASI": "被盗物品 stolen goods",
        "NCGV": "物品价值 value of the goods", "NCSM": "被盗货币 stolen money", "NCSP": "盗窃获利 gain from the theft",
        "NT": "时间 time", "NS": "地点 place", "NO": "组织机构 organisation", "NATS": "作案工具 tool of the crime",
        "Nh": "人 person", "Ns": "地点 place", "NDR": "毒品种类 drug type", "NW": "毒品重量 drug weight",
        "traffic_in": "贩卖毒品 a person sells a drug", "sell_drugs_to": "向他人贩卖 a person sells to a person",
        "posess": "持有毒品 a person possesses a drug (sic)", "provide_shelter_for": "容留吸毒 a person lets another use drugs",
    ]

    /// The legend for `labels`: the known codes among them, in the order given.
    public static func legend(for labels: [String]) -> [(code: String, meaning: String)] {
        var seen = Set<String>()
        return labels.compactMap { l in
            guard let m = known[l], seen.insert(l).inserted else { return nil }
            return (l, m)
        }
    }
}
