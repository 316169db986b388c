import Foundation

/// Where the document itself names a label (a charge the court or the prosecution names):
/// the section and the span of the name.
public struct LabelEvidence: Codable, Sendable, Equatable {
    /// The section the label is named in ("decision", "reasoning", "facts", "claims", "procedure").
    public var section: String
    public var text: String
    public var start: Int
    public var end: Int
    public init(section: String, text: String, start: Int, end: Int) {
        self.section = section; self.text = text; self.start = start; self.end = end
    }
}

/// A label with its score (probability).
public struct LabelScore: Codable, Sendable, Equatable {
    public var label: String
    /// The head's probability, or 1 for a label the document names (`evidence`).
    public var score: Double
    /// Set when the label was taken from the document's own words rather than predicted
    /// (pipeline key `named_labels`); absent for predictions.
    public var evidence: LabelEvidence?
    public init(label: String, score: Double, evidence: LabelEvidence? = nil) {
        self.label = label; self.score = score; self.evidence = evidence
    }
}

/// The output of one classification head.
public struct Classification: Codable, Sendable, Equatable {
    public var task: String
    public var labels: [LabelScore]
    public init(task: String, labels: [LabelScore]) { self.task = task; self.labels = labels }
}

/// A typed span found by a tagger head (an entity, a trigger, an argument).
public struct EntityMention: Codable, Sendable, Equatable {
    public var task: String
    public var label: String
    public var text: String
    public var start: Int
    public var end: Int
    public var score: Double?
    public init(task: String, label: String, text: String, start: Int, end: Int, score: Double? = nil) {
        self.task = task; self.label = label; self.text = text; self.start = start; self.end = end; self.score = score
    }
}

/// An argument of an event: its role and span.
public struct EventArgument: Codable, Sendable, Equatable {
    public var role: String
    public var text: String
    public var start: Int
    public var end: Int
    public var score: Double?
    public init(role: String, text: String, start: Int, end: Int, score: Double? = nil) {
        self.role = role; self.text = text; self.start = start; self.end = end; self.score = score
    }
}

/// A legal event: its type, trigger (if the task has triggers) and arguments.
public struct Event: Codable, Sendable, Equatable {
    public var task: String
    public var type: String
    public var trigger: Span?
    public var arguments: [EventArgument]
    public var score: Double?
    public init(task: String, type: String, trigger: Span? = nil, arguments: [EventArgument], score: Double? = nil) {
        self.task = task; self.type = type; self.trigger = trigger; self.arguments = arguments; self.score = score
    }
}

/// Everything the model heads said about one text.
public struct ModelAnnotations: Codable, Sendable, Equatable {
    public var classifications: [Classification]
    public var entities: [EntityMention]
    public var events: [Event]
    /// Heads that did not run, with the reason (gates).
    public var skipped: [String: String] = [:]
    public init(classifications: [Classification] = [], entities: [EntityMention] = [], events: [Event] = []) {
        self.classifications = classifications; self.entities = entities; self.events = events
    }

    /// The same annotations with every span moved from normalized to extracted-text
    /// coordinates (offsets and texts taken from the source).
    public func mapped(through normalized: NormalizedText) -> ModelAnnotations {
        func m(_ s: Int, _ e: Int) -> Span { normalized.sourceSpan(s..<e) }
        var out = self
        out.classifications = classifications.map { c in
            var c = c
            c.labels = c.labels.map { l in
                guard let e = l.evidence else { return l }
                var l = l
                let sp = m(e.start, e.end)
                l.evidence = LabelEvidence(section: e.section, text: sp.text, start: sp.start, end: sp.end)
                return l
            }
            return c
        }
        out.entities = entities.map { x in
            let sp = m(x.start, x.end)
            return EntityMention(task: x.task, label: x.label, text: sp.text, start: sp.start, end: sp.end, score: x.score)
        }
        out.events = events.map { ev in
            var e = ev
            if let t = ev.trigger { e.trigger = m(t.start, t.end) }
            e.arguments = ev.arguments.map { a in
                let sp = m(a.start, a.end)
                return EventArgument(role: a.role, text: sp.text, start: sp.start, end: sp.end, score: a.score)
            }
            return e
        }
        return out
    }
}
