import Foundation

/// A gold span in a labelled example (offsets in Unicode scalars of `text`).
public struct LabelledSpan: Codable, Sendable, Hashable {
    public var label: String
    public var start: Int
    public var end: Int
    public init(label: String, start: Int, end: Int) { self.label = label; self.start = start; self.end = end }
}

/// A gold event argument.
public struct LabelledArgument: Codable, Sendable, Hashable {
    public var role: String
    public var start: Int
    public var end: Int
    public init(role: String, start: Int, end: Int) { self.role = role; self.start = start; self.end = end }
}

/// A gold event: type, optional trigger span, arguments.
public struct LabelledEvent: Codable, Sendable, Hashable {
    public var type: String
    public var trigger: LabelledSpan?
    public var arguments: [LabelledArgument]
    public init(type: String, trigger: LabelledSpan? = nil, arguments: [LabelledArgument]) {
        self.type = type; self.trigger = trigger; self.arguments = arguments
    }
}

/// One labelled example, in the generic form every dataset reader produces:
/// the text, document labels per task, gold spans, gold events.
public struct LabelledExample: Codable, Sendable, Equatable {
    public var id: String
    public var text: String
    /// Document-level labels (one for single-label tasks, several for multi-label).
    public var labels: [String]
    public var spans: [LabelledSpan]
    public var events: [LabelledEvent]
    /// Where it came from, for error messages ("file.jsonl:12").
    public var origin: String?

    public init(id: String, text: String, labels: [String] = [], spans: [LabelledSpan] = [],
                events: [LabelledEvent] = [], origin: String? = nil) {
        self.id = id; self.text = text; self.labels = labels; self.spans = spans; self.events = events; self.origin = origin
    }
}
