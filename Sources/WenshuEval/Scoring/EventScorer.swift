import Foundation
import WenshuCore

/// Scores for event extraction.
public struct EventScores: Codable, Sendable, Equatable {
    /// Event level: an event counts when its type, its trigger (when the gold has one) and
    /// the set of its arguments (role, start, end) all match a gold event. Per type: by event type.
    public var events: SetScores
    /// Argument level: (event type, role, start, end) items, deduplicated per example; per type: by role.
    public var arguments: SetScores
    /// The relation-pair metric (type and both pair-argument spans exact, see `RelationScorer`),
    /// per relation type; present for relation data (CAIL2022).
    public var relations: SetScores?
    /// Trigger spans with the type ignored (start, end), for data whose gold events have
    /// triggers (LEVEN): did the head find the event words at all.
    public var untypedTriggers: PRF?

    public init(events: SetScores, arguments: SetScores, relations: SetScores? = nil, untypedTriggers: PRF? = nil) {
        self.events = events; self.arguments = arguments; self.relations = relations; self.untypedTriggers = untypedTriggers
    }
}

/// Event scoring, event-level and argument-level (see `EventScores`).
public struct EventScorer: Sendable {
    private var perEventType: [String: PRF] = [:]
    private var perRole: [String: PRF] = [:]
    private var untyped: PRF?
    public init() {}

    struct Key: Hashable { var type: String; var trigger: [Int]?; var args: [String] }

    static func key(_ e: LabelledEvent, withTrigger: Bool) -> Key {
        Key(type: e.type, trigger: withTrigger ? e.trigger.map { [$0.start, $0.end] } : nil,
            args: Set(e.arguments.map { "\($0.role)\u{1}\($0.start)\u{1}\($0.end)" }).sorted())
    }

    /// Adds one example's gold and predicted events.
    public mutating func add(gold: [LabelledEvent], predicted: [LabelledEvent]) {
        // Triggers take part in matching when the gold events of the example have them.
        let useTrigger = gold.contains { $0.trigger != nil }
        if useTrigger || untyped != nil {
            struct R: Hashable { var start: Int; var end: Int }
            let g = Set(gold.compactMap { $0.trigger.map { R(start: $0.start, end: $0.end) } })
            let p = Set(predicted.compactMap { $0.trigger.map { R(start: $0.start, end: $0.end) } })
            untyped = (untyped ?? PRF()) + PRF.compare(gold: Array(g), predicted: Array(p))
        }
        let types = Set(gold.map(\.type)).union(predicted.map(\.type))
        for t in types {
            let g = gold.filter { $0.type == t }.map { Self.key($0, withTrigger: useTrigger) }
            let p = predicted.filter { $0.type == t }.map { Self.key($0, withTrigger: useTrigger) }
            perEventType[t, default: PRF()] = perEventType[t, default: PRF()] + PRF.compare(gold: g, predicted: p)
        }
        struct A: Hashable { var type: String; var role: String; var start: Int; var end: Int }
        let ga = Set(gold.flatMap { e in e.arguments.map { A(type: e.type, role: $0.role, start: $0.start, end: $0.end) } })
        let pa = Set(predicted.flatMap { e in e.arguments.map { A(type: e.type, role: $0.role, start: $0.start, end: $0.end) } })
        for r in Set(ga.map(\.role)).union(pa.map(\.role)) {
            perRole[r, default: PRF()] = perRole[r, default: PRF()] +
                PRF.compare(gold: Array(ga.filter { $0.role == r }), predicted: Array(pa.filter { $0.role == r }))
        }
    }

    public var scores: EventScores {
        EventScores(events: SetScores(perType: perEventType), arguments: SetScores(perType: perRole), untypedTriggers: untyped)
    }
}
