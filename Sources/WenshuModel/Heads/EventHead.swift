import Foundation
import WenshuCore
import WenshuTensor

/// A mention found or given in a text.
struct Mention: Hashable {
    var label: String
    var start: Int
    var end: Int
    var range: Range<Int> { start..<end }
}

/// Event extractor: a CRF mention tagger plus event assembly (see `EventMode`):
/// - single: every tagged role span becomes an argument of the text's one event;
/// - trigger: each tagged trigger anchors an event; a link head attaches arguments;
/// - relation: a pair head scores ordered (first, second) mention pairs into event types
///   (CAIL2022 traffic_in, sell_drugs_to, posess, provide_shelter_for), and a link head
///   attaches further arguments (time, place, weight) to the first mention. The pair's
///   roles per type are learned from the data (`pairRoles`), whatever the argument order.
/// The tagged mentions are also reported as entities of the head's task.
public final class EventHead: TrainableHead, @unchecked Sendable {
    public var description: HeadDescription
    let core: TaggerCore
    let pair: LinkScorer?
    let link: LinkScorer?
    var spec: EventSpec { description.settings.event ?? EventSpec(mode: .single) }
    static let triggerPrefix = "trigger:"

    /// Builds the head from its description; `tensors` nil initialises fresh weights.
    public init(description: HeadDescription, inputDim: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.description = description
        let spec = description.settings.event ?? EventSpec(mode: .single)
        core = try TaggerCore(prefix: "tagger.", scheme: description.settings.tagScheme ?? .bio, labels: description.labels, groups: description.settings.layers,
                              inputDim: inputDim, emissionBuckets: description.settings.emissionBuckets, tensors: tensors, path: path, seed: seed)
        pair = spec.mode == .relation
            ? try LinkScorer(prefix: "pair.", inputDim: inputDim, classes: spec.pairClasses.count, tensors: tensors, path: path, seed: seed &+ 1)
            : nil
        link = spec.mode != .single && spec.linkClasses.count > 1
            ? try LinkScorer(prefix: "link.", inputDim: inputDim, classes: spec.linkClasses.count, tensors: tensors, path: path, seed: seed &+ 2)
            : nil
    }

    public var parameters: [Parameter] { core.parameters + (pair?.parameters ?? []) + (link?.parameters ?? []) }

    // MARK: learning the event spec from data

    /// Mentions of a labelled example as this mode sees them (deduplicated by range).
    static func mentions(_ ex: LabelledExample, mode: EventMode) -> [Mention] {
        var out: [Mention] = []
        var seen = Set<Range<Int>>()
        func add(_ m: Mention) { if m.start < m.end, seen.insert(m.range).inserted { out.append(m) } }
        // One label per range: a range given twice keeps its first label.
        switch mode {
        case .single:
            for e in ex.events { for a in e.arguments { add(Mention(label: a.role, start: a.start, end: a.end)) } }
        case .trigger:
            for e in ex.events { if let t = e.trigger { add(Mention(label: triggerPrefix + e.type, start: t.start, end: t.end)) } }
            for e in ex.events { for a in e.arguments { add(Mention(label: a.role, start: a.start, end: a.end)) } }
        case .relation:
            for s in ex.spans { add(Mention(label: s.label, start: s.start, end: s.end)) }
            for e in ex.events { for a in e.arguments { add(Mention(label: a.role, start: a.start, end: a.end)) } }
        }
        return out.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    /// Chooses the mode from the data: triggers present -> trigger; several events per text
    /// -> relation; otherwise single.
    static func inferMode(_ examples: [LabelledExample]) -> EventMode {
        if examples.contains(where: { $0.events.contains { $0.trigger != nil } }) { return .trigger }
        let withEvents = examples.filter { !$0.events.isEmpty }
        let multi = withEvents.filter { $0.events.count > 1 }.count
        let pairs = withEvents.allSatisfy { $0.events.allSatisfy { $0.arguments.count >= 2 } }
        return (pairs && Double(multi) > 0.05 * Double(max(1, withEvents.count))) ? .relation : .single
    }

    /// The two roles that form the related pair of each event type (relation mode): the
    /// roles present in the largest share of that type's events, preferring roles used by
    /// fewer event types (time, place and weight attach to every type); the first is the one
    /// whose mentions consistently carry the same attached arguments.
    /// Works whatever order a reader gives the arguments in.
    static func pairRoles(_ examples: [LabelledExample]) -> [String: [String]] {
        var perType: [String: [String: Int]] = [:], typeCount: [String: Int] = [:], typesOfRole: [String: Set<String>] = [:]
        for ex in examples { for e in ex.events {
            typeCount[e.type, default: 0] += 1
            for r in Set(e.arguments.map(\.role)) { perType[e.type, default: [:]][r, default: 0] += 1; typesOfRole[r, default: []].insert(e.type) }
        } }
        var out: [String: [String]] = [:]
        for (t, roles) in perType {
            let n = Double(typeCount[t] ?? 1)
            let ranked = roles.keys.sorted { a, b in
                let fa = Double(roles[a]!) / n, fb = Double(roles[b]!) / n
                let ca = fa >= 0.95 ? 1.0 : fa, cb = fb >= 0.95 ? 1.0 : fb
                if ca != cb { return ca > cb }
                let ga = typesOfRole[a]!.count, gb = typesOfRole[b]!.count
                if ga != gb { return ga < gb }
                return a < b
            }
            let two = Array(ranked.prefix(2)).sorted()
            out[t] = two
            if two.count == 2 {
                // The first role anchors the attached arguments: take the role whose mentions
                // always carry the same attached arguments (the reader attached them to it).
                func conflicts(_ anchor: String) -> Int {
                    var n = 0
                    for ex in examples {
                        var seen: [Range<Int>: Set<Range<Int>>] = [:]
                        for e in ex.events where e.type == t {
                            guard let a = e.arguments.first(where: { $0.role == anchor }) else { continue }
                            let rest = Set(e.arguments.filter { !two.contains($0.role) }.map { $0.start..<$0.end })
                            if let prev = seen[a.start..<a.end], prev != rest { n += 1 } else { seen[a.start..<a.end] = rest }
                        }
                    }
                    return n
                }
                if conflicts(two[1]) < conflicts(two[0]) { out[t] = [two[1], two[0]] }
            }
        }
        return out
    }

    /// The pair (first, second) and the other arguments of a relation-shaped event.
    static func splitPair(_ e: LabelledEvent, roles: [String]?) -> (LabelledArgument, LabelledArgument, [LabelledArgument])? {
        guard let roles, roles.count == 2,
              let i = e.arguments.firstIndex(where: { $0.role == roles[0] }),
              let j = e.arguments.indices.first(where: { $0 != i && e.arguments[$0].role == roles[1] }) else { return nil }
        return (e.arguments[i], e.arguments[j], e.arguments.indices.filter { $0 != i && $0 != j }.map { e.arguments[$0] })
    }

    /// Mention labels and the event spec learned from training examples.
    static func learn(_ examples: [LabelledExample], mode: EventMode) -> (labels: [String], spec: EventSpec) {
        var labels = Set<String>()
        var typeCount: [String: Int] = [:]
        var allowed: [String: Set<String>] = [:]
        var linkRoles = Set<String>(), linkLabels = Set<String>()
        let pairRoles = mode == .relation ? EventHead.pairRoles(examples) : [:]
        for ex in examples {
            let ms = mentions(ex, mode: mode)
            for m in ms { labels.insert(m.label) }
            let byRange = Dictionary(ms.map { ($0.range, $0.label) }, uniquingKeysWith: { a, _ in a })
            for e in ex.events {
                typeCount[e.type, default: 0] += 1
                switch mode {
                case .single: break
                case .trigger:
                    for a in e.arguments { linkRoles.insert(a.role); if let l = byRange[a.start..<a.end] { linkLabels.insert(l) } }
                case .relation:
                    guard let (a0, a1, rest) = splitPair(e, roles: pairRoles[e.type]) else { continue }
                    if let l0 = byRange[a0.start..<a0.end], let l1 = byRange[a1.start..<a1.end] { allowed[e.type, default: []].insert(l0 + "|" + l1) }
                    for a in rest {
                        linkRoles.insert(a.role)
                        if let l = byRange[a.start..<a.end] { linkLabels.insert(l) }
                    }
                }
            }
        }
        let types = typeCount.keys.sorted()
        var spec = EventSpec(mode: mode)
        spec.defaultType = typeCount.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "event"
        if mode == .relation {
            spec.pairClasses = ["none"] + types
            for t in types {
                spec.pairRoles[t] = pairRoles[t] ?? ["first", "second"]
                spec.pairAllowed[t] = (allowed[t] ?? []).sorted()
            }
        }
        spec.linkClasses = ["none"] + linkRoles.sorted()
        spec.linkAllowed = linkLabels.sorted()
        // Boundary words for relation and trigger heads (drug places end before "附近"); on
        // the theft arguments (single mode) they were measured to cost a little (span F1
        // 0.8432 -> 0.8423 on dev), so single-mode heads keep the tagger's spans.
        let trim = mode == .single ? [:] : trimSuffixes(examples, mode: mode)
        spec.trimSuffixes = trim.isEmpty ? nil : trim
        if mode == .trigger {
            let lex = lexicon(examples)
            spec.lexicon = lex.isEmpty ? nil : lex
        }
        return (labels.sorted(), spec)
    }

    /// Boundary words per mention label: strings of 1 to 4 characters that follow the label's
    /// gold mentions in the text at least `minCount` times and end them at most a fifth as
    /// often (the data puts them outside the mention), without clause punctuation, at most
    /// `limit` per label (the most frequent), longest first.
    static func trimSuffixes(_ examples: [LabelledExample], mode: EventMode, minCount: Int = 5, limit: Int = 40) -> [String: [String]] {
        var after: [String: [String: Int]] = [:], inside: [String: [String: Int]] = [:]
        for ex in examples {
            let text = Array(ex.text.unicodeScalars)
            for m in mentions(ex, mode: mode) where m.end <= text.count {
                for n in 1...4 {
                    if m.end + n <= text.count { after[m.label, default: [:]][String(String.UnicodeScalarView(text[m.end..<(m.end + n)])), default: 0] += 1 }
                    if m.end - m.start > n { inside[m.label, default: [:]][String(String.UnicodeScalarView(text[(m.end - n)..<m.end])), default: 0] += 1 }
                }
            }
        }
        var out: [String: [String]] = [:]
        for (label, counts) in after {
            // Words that hold clause punctuation never end a predicted mention: left out so
            // that they do not crowd the limit.
            let chosen = counts.filter { $0.value >= minCount && (inside[label]?[$0.key] ?? 0) * 5 <= $0.value
                && !$0.key.unicodeScalars.contains { clausePunctuation.contains($0) } }
                .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map(\.key)
            if !chosen.isEmpty { out[label] = chosen.sorted { ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1) } }
        }
        return out
    }

    /// The trigger lexicon of training examples: each trigger word with its most frequent type,
    /// its trigger count and its occurrences in all the training texts.
    static func lexicon(_ examples: [LabelledExample]) -> [String: LexiconEntry] {
        var types: [String: [String: Int]] = [:]
        for ex in examples {
            let text = ScalarText(ex.text)
            for e in ex.events { if let t = e.trigger, t.start < t.end { types[text.slice(t.start..<t.end), default: [:]][e.type, default: 0] += 1 } }
        }
        var out: [String: LexiconEntry] = [:]
        for (word, byType) in types {
            let type = byType.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            let triggers = byType.values.reduce(0, +)
            var occ = 0
            for ex in examples { occ += occurrences(of: word, in: ex.text) }
            out[word] = LexiconEntry(type: type, triggers: triggers, occurrences: max(occ, triggers))
        }
        return out
    }

    /// Non-overlapping occurrences of `word` in `text`.
    static func occurrences(of word: String, in text: String) -> Int {
        var n = 0
        var r = text.startIndex..<text.endIndex
        while let f = text.range(of: word, range: r) { n += 1; r = f.upperBound..<text.endIndex }
        return n
    }

    /// Lexicon triggers of `text` that overlap none of `taken`: at each position the longest
    /// word whose precision reaches `minPrecision`, scanning left to right.
    static func lexiconTriggers(_ text: ScalarText, lexicon: [String: LexiconEntry], minPrecision: Double, taken: [Range<Int>]) -> [Mention] {
        let words = lexicon.filter { $0.value.precision >= minPrecision }
        if words.isEmpty { return [] }
        let maxLen = words.keys.map { $0.unicodeScalars.count }.max() ?? 0
        var out: [Mention] = []
        var i = 0
        let n = text.count
        while i < n {
            var found: (Int, LexiconEntry)? = nil
            for len in stride(from: min(maxLen, n - i), through: 1, by: -1) {
                if let e = words[text.slice(i..<(i + len))] { found = (len, e); break }
            }
            if let (len, e) = found, !taken.contains(where: { $0.overlaps(i..<(i + len)) }) {
                out.append(Mention(label: triggerPrefix + e.type, start: i, end: i + len))
                i += len
            } else { i += 1 }
        }
        return out
    }

    /// Clause and sentence punctuation, never part of a boundary word.
    static let clausePunctuation = Set("，。；：！？、,.;:!?\n\r\t ".unicodeScalars)

    /// `m` cut before the longest learned boundary word it ends with (repeatedly), never to nothing.
    static func trimmed(_ m: Mention, text: ScalarText, suffixes: [String: [String]]?) -> Mention {
        guard let list = suffixes?[m.label], !list.isEmpty else { return m }
        var m = m
        var changed = true
        while changed {
            changed = false
            let s = text.slice(m.range)
            for w in list {
                let n = w.unicodeScalars.count
                if m.end - m.start > n && s.hasSuffix(w) { m.end -= n; changed = true; break }
            }
        }
        return m
    }

    // MARK: targets and training

    func target(for example: LabelledExample) -> HeadTarget? {
        let spec = self.spec
        let T = example.text.unicodeScalars.count
        let ms = EventHead.mentions(example, mode: spec.mode).filter { $0.end <= T }
        let tags = core.tags(ms.map { ($0.label, $0.start, $0.end) }, length: T)
        var pairs: [(a: Range<Int>, b: Range<Int>, cls: Int)] = []
        var links: [(a: Range<Int>, b: Range<Int>, cls: Int)] = []
        switch spec.mode {
        case .single: break
        case .relation:
            var gold: [String: Int] = [:]
            var extra: [Range<Int>: [Range<Int>: Int]] = [:]
            for e in example.events where e.arguments.count >= 2 {
                guard let ti = spec.pairClasses.firstIndex(of: e.type),
                      let (a0, a1, rest) = EventHead.splitPair(e, roles: spec.pairRoles[e.type]) else { continue }
                let a = a0.start..<a0.end, b = a1.start..<a1.end
                let key = "\(a.lowerBound),\(a.upperBound)|\(b.lowerBound),\(b.upperBound)"
                if gold[key] == nil { gold[key] = ti }
                for x in rest {
                    if let ri = spec.linkClasses.firstIndex(of: x.role) { extra[a, default: [:]][x.start..<x.end] = ri }
                }
                if extra[a] == nil { extra[a] = [:] }
            }
            for m in ms { for n in ms where m != n && pairCandidate(m.label, n.label) {
                pairs.append((m.range, n.range, gold["\(m.start),\(m.end)|\(n.start),\(n.end)"] ?? 0))
            } }
            if link != nil {
                for (a, ex) in extra.sorted(by: { $0.key.lowerBound < $1.key.lowerBound }) {
                    for n in ms where n.range != a && spec.linkAllowed.contains(n.label) {
                        links.append((a, n.range, ex[n.range] ?? 0))
                    }
                }
            }
        case .trigger:
            guard link != nil else { break }
            for e in example.events {
                guard let t = e.trigger else { continue }
                var roles: [Range<Int>: Int] = [:]
                for x in e.arguments { if let ri = spec.linkClasses.firstIndex(of: x.role) { roles[x.start..<x.end] = ri } }
                for n in ms where !n.label.hasPrefix(EventHead.triggerPrefix) && n.range != t.start..<t.end {
                    links.append((t.start..<t.end, n.range, roles[n.range] ?? 0))
                }
            }
        }
        return .events(tags: tags, pairs: pairs, links: links)
    }

    func pairCandidate(_ a: String, _ b: String) -> Bool {
        let k = a + "|" + b
        return spec.pairAllowed.values.contains { $0.contains(k) }
    }

    func lossAndGradients(_ encoded: EncodedText, target: HeadTarget, into g: Gradients) -> (loss: Double, dVectors: [Float]?, dDocument: [Float]?) {
        guard case .events(let tags, let pairs, let links) = target, tags.allSatisfy({ $0.count == encoded.length }) else { return (0, nil, nil) }
        var (loss, dx) = core.lossAndGradients(encoded, tags: tags, into: g)
        if let p = pair { for x in pairs { loss += p.lossAndGradients(encoded, x.a, x.b, cls: x.cls, dVectors: &dx, into: g) } }
        if let l = link { for x in links { loss += l.lossAndGradients(encoded, x.a, x.b, cls: x.cls, dVectors: &dx, into: g) } }
        return (loss, dx, nil)
    }

    // MARK: inference

    /// The chosen class of a pair or link ("none" is class 0): without a threshold the most
    /// probable class, else the most probable other class when its probability reaches it.
    static func choose(_ p: [Float], threshold: Float?) -> Int? {
        guard p.count > 1 else { return nil }
        if let t = threshold {
            let c = (1..<p.count).max { p[$0] < p[$1] }!
            return p[c] >= t ? c : nil
        }
        let c = p.indices.max { p[$0] < p[$1] }!
        return c == 0 ? nil : c
    }

    public func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations) {
        let spec = self.spec
        var ms = core.decode(encoded, text: text.scalars).map {
            EventHead.trimmed(Mention(label: description.labels[$0.label], start: $0.start, end: $0.end), text: text, suffixes: spec.trimSuffixes)
        }
        if spec.mode == .trigger, let lex = spec.lexicon {
            // Triggers the tagger missed, from the lexicon learnt on the training data.
            let taken = ms.filter { $0.label.hasPrefix(EventHead.triggerPrefix) }.map(\.range)
            ms += EventHead.lexiconTriggers(text, lexicon: lex, minPrecision: spec.lexiconMinPrecision ?? 0.5, taken: taken)
            ms.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        }
        let task = description.name
        func arg(_ m: Mention, _ role: String, _ score: Float? = nil) -> EventArgument {
            EventArgument(role: role, text: text.slice(m.range), start: m.start, end: m.end, score: score.map(Double.init))
        }
        for m in ms where !m.label.hasPrefix(EventHead.triggerPrefix) {
            out.entities.append(EntityMention(task: task, label: m.label, text: text.slice(m.range), start: m.start, end: m.end))
        }
        let tau = (threshold ?? description.settings.threshold).map(Float.init)
        let table: SpanMeanTable? = (link != nil || pair != nil) && ms.count > 1 ? SpanMeanTable(encoded) : nil
        func attached(_ anchor: Mention, excluding: Set<Range<Int>>) -> [EventArgument] {
            guard let l = link else { return [] }
            var args: [EventArgument] = []
            for n in ms where !excluding.contains(n.range) && n.range != anchor.range && spec.linkAllowed.contains(n.label) {
                let p = table.map { l.probabilities(encoded, $0, anchor.range, n.range) } ?? l.probabilities(encoded, anchor.range, n.range)
                if let c = EventHead.choose(p, threshold: tau) { args.append(arg(n, spec.linkClasses[c], p[c])) }
            }
            return args
        }
        switch spec.mode {
        case .single:
            if !ms.isEmpty { out.events.append(Event(task: task, type: spec.defaultType, arguments: ms.map { arg($0, $0.label) })) }
        case .trigger:
            for t in ms where t.label.hasPrefix(EventHead.triggerPrefix) {
                let type = String(t.label.dropFirst(EventHead.triggerPrefix.count))
                let args = attached(t, excluding: Set(ms.filter { $0.label.hasPrefix(EventHead.triggerPrefix) }.map(\.range)))
                out.events.append(Event(task: task, type: type, trigger: Span(text: text.slice(t.range), start: t.start, end: t.end), arguments: args))
            }
        case .relation:
            guard let p = pair else { break }
            // Mentions of one label with the same text are one entity: a relation holds between
            // two different entities (no self-pairs), at most one per ordered pair of entities,
            // said by its best-scoring pair of mentions.
            func entity(_ m: Mention) -> String { m.label + "\u{1}" + text.slice(m.range) }
            struct Best { var a: Mention; var b: Mention; var cls: Int; var score: Float }
            var best: [String: Best] = [:]
            var order: [String] = []
            for a in ms { for b in ms where a != b && pairCandidate(a.label, b.label) {
                let ea = entity(a), eb = entity(b)
                if ea == eb || text.slice(a.range) == text.slice(b.range) { continue }
                let probs = table.map { p.probabilities(encoded, $0, a.range, b.range) } ?? p.probabilities(encoded, a.range, b.range)
                guard let c = EventHead.choose(probs, threshold: tau) else { continue }
                guard spec.pairAllowed[spec.pairClasses[c]]?.contains(a.label + "|" + b.label) ?? false else { continue }
                let key = ea + "\u{2}" + eb
                if let old = best[key] { if probs[c] > old.score { best[key] = Best(a: a, b: b, cls: c, score: probs[c]) } }
                else { best[key] = Best(a: a, b: b, cls: c, score: probs[c]); order.append(key) }
            } }
            var extras: [Range<Int>: [EventArgument]] = [:]
            for key in order {
                let r = best[key]!
                let type = spec.pairClasses[r.cls]
                let roles = spec.pairRoles[type] ?? ["first", "second"]
                if extras[r.a.range] == nil { extras[r.a.range] = attached(r.a, excluding: []) }
                let more = extras[r.a.range]!.filter { $0.start != r.b.start || $0.end != r.b.end }
                let args = ([arg(r.a, roles.first ?? "first"), arg(r.b, roles.count > 1 ? roles[1] : "second")] + more)
                    .sorted { ($0.start, $0.end, $0.role) < ($1.start, $1.end, $1.role) }
                out.events.append(Event(task: task, type: type, arguments: args, score: Double(r.score)))
            }
        }
    }
}
