import Foundation
import WenshuCore

/// The CAIL2022 relation-pair metric: a relation is (type, first argument span, second
/// argument span), read off an event as the arguments whose roles are the type's pair roles
/// (e.g. traffic_in: seller, drug). A predicted relation counts when its type and both spans
/// match a gold relation exactly; time, place and weight arguments play no part. Relations are
/// deduplicated per example (a pair said twice is one relation). Scores per relation type.
public struct RelationScorer: Sendable {
    /// Pair roles per event type: [first role, second role].
    public let roles: [String: [String]]
    private var perType: [String: PRF] = [:]

    /// `roles`: the two roles that form each relation type's pair.
    public init(roles: [String: [String]]) { self.roles = roles }

    /// A relation as the metric compares it.
    public struct Relation: Hashable, Sendable {
        public var type: String
        public var first: Range<Int>
        public var second: Range<Int>
    }

    /// The relations of `events` (events of unknown types or without both pair roles are skipped).
    public func relations(_ events: [LabelledEvent]) -> Set<Relation> {
        var out = Set<Relation>()
        for e in events {
            guard let r = roles[e.type], r.count == 2,
                  let a = e.arguments.first(where: { $0.role == r[0] }),
                  let b = e.arguments.first(where: { $0.role == r[1] && !($0.role == a.role && $0.start == a.start && $0.end == a.end) })
            else { continue }
            out.insert(Relation(type: e.type, first: a.start..<a.end, second: b.start..<b.end))
        }
        return out
    }

    /// Adds one example's gold and predicted events.
    public mutating func add(gold: [LabelledEvent], predicted: [LabelledEvent]) {
        let g = relations(gold), p = relations(predicted)
        for t in Set(g.map(\.type)).union(p.map(\.type)) {
            perType[t, default: PRF()] = perType[t, default: PRF()] +
                PRF.compare(gold: g.filter { $0.type == t }.map { $0 }, predicted: p.filter { $0.type == t }.map { $0 })
        }
    }

    /// Micro, macro and per relation type.
    public var scores: SetScores { SetScores(perType: perType) }
}
