import Foundation
import WenshuModel

/// Renders an `EvaluationReport` as one self-contained HTML page: inline CSS, inline SVG
/// bar charts, no scripts, nothing loaded from the network.
///
/// What the page holds (issue 13, item 12): the bundle's name, version and the date; the
/// summary scores; one table and one bar chart per distinct view (a span view identical to
/// the argument view is shown once); a legend for the label codes it knows
/// (`LabelDescriptions`); the confusion matrix of single-label heads (at most 20 labels,
/// columns numbered so that long labels fit); the examples with the most errors, gold
/// beside prediction. Text uses a CJK font stack, and every chart's label column is as wide
/// as its longest label. `scripts/render-report.sh` renders the page in headless Chromium
/// and checks that no label overflows.
public enum HTMLReport {
    /// The CSS font stack: CJK fonts first so that a browser without one of them still
    /// picks a CJK-capable font before the generic family.
    public static let fontStack = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif"

    /// Font size of chart labels (px), and the estimated advance of one character.
    static let chartFont = 12
    static func estimatedWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, c in w + (c.value >= 0x2E80 ? chartFont + 1 : (chartFont * 2 + 2) / 3) }
    }

    /// Where the legend goes (after the header table), filled once the codes are known.
    static let legendSlot = "<!--legend-->"

    /// The page for `report`.
    public static func render(_ report: EvaluationReport) -> String {
        var body = ""
        body += "<h1>Wenshu evaluation: \(esc(report.head))</h1>\n"
        body += "<table class=\"meta\">"
        var bundleLine = report.bundleName ?? "-"
        if let v = report.bundleVersion { bundleLine += " \(v)" }
        for (k, v) in [("head", report.head), ("kind", report.kind), ("bundle", bundleLine),
                       ("bundle folder", report.bundle ?? "-"), ("date", report.date ?? "-"),
                       ("data", report.data), ("format", report.format), ("split", report.split),
                       ("examples", "\(report.examples)"), ("malformed lines", "\(report.malformedLines)"),
                       ("inference", String(format: "%.2f s (%.1f examples/s)", report.inferenceSeconds, report.examplesPerSecond))] {
            body += "<tr><th>\(esc(k))</th><td>\(esc(v))</td></tr>"
        }
        body += "</table>\n" + Self.legendSlot
        var codes: [String] = []
        if let c = report.classification {
            body += "<h2>Classification</h2>\n<table><tr><th>accuracy</th><th>micro-F1</th><th>macro-F1</th><th>CAIL score</th></tr>"
            body += "<tr><td>\(f(c.accuracy))</td><td>\(f(c.microF1))</td><td>\(f(c.macroF1))</td><td>\(f(c.cailScore))</td></tr></table>\n"
            body += section("F1 per label", c.perLabel, id: "labels")
            if let m = c.confusion { body += confusion(m) }
            else if (report.output ?? HeadKinds.builtIn.output(of: HeadKind(report.kind))) == .multiLabel { body += "<p class=\"note\">No confusion matrix: a multi-label head predicts sets of labels.</p>\n" }
            else {
                body += "<p class=\"note\">No confusion matrix: \(c.perLabel.count) labels, more than \(ClassificationScorer.maxConfusionLabels).</p>\n"
            }
            codes += c.perLabel.map(\.name)
        }
        let spansSameAsArguments = report.spans != nil && report.spans == report.events?.arguments
        if let e = report.events {
            body += "<h2>Events</h2>\n" + summaryTable(e.events)
            body += section("F1 per event type", e.events.perType, id: "events")
            if let u = e.untypedTriggers {
                body += "<h3>Triggers, type ignored</h3>\n<table><tr><th>P</th><th>R</th><th>F1</th></tr>"
                body += "<tr><td>\(f(u.precision))</td><td>\(f(u.recall))</td><td>\(f(u.f1))</td></tr></table>\n"
            }
            if let r = e.relations {
                body += "<h2>Relation pairs</h2>\n" + summaryTable(r)
                body += section("F1 per relation", r.perType, id: "relations")
                codes += r.perType.map(\.name)
            }
            body += "<h2>Arguments</h2>\n"
            if spansSameAsArguments {
                body += "<p class=\"note\">The span view (arguments scored as labelled spans) gives the same counts as the argument view: shown once.</p>\n"
            }
            body += summaryTable(e.arguments)
            body += section("F1 per argument role", e.arguments.perType, id: "arguments")
            codes += e.events.perType.map(\.name) + e.arguments.perType.map(\.name)
        }
        if let s = report.spans, !spansSameAsArguments {
            body += "<h2>Spans (exact match)</h2>\n" + summaryTable(s)
            body += section("F1 per span type", s.perType, id: "spans")
            codes += s.perType.map(\.name)
        }
        let legend = LabelDescriptions.legend(for: codes)
        if !legend.isEmpty {
            var l = "<h2>Legend</h2>\n<table class=\"legend\"><tr><th>code</th><th>meaning</th></tr>"
            for (c, m) in legend { l += "<tr><td>\(esc(c))</td><td>\(esc(m))</td></tr>" }
            body = body.replacingOccurrences(of: Self.legendSlot, with: l + "</table>\n")
        } else {
            body = body.replacingOccurrences(of: Self.legendSlot, with: "")
        }
        if let worst = report.worstExamples {
            body += examples(worst)
        }
        return """
        <!DOCTYPE html>
        <html lang="zh"><head><meta charset="utf-8"><title>Wenshu evaluation: \(esc(report.head))</title>
        <style>
        body{font-family:\(fontStack);margin:2em;color:#222;max-width:72em}
        table{border-collapse:collapse;margin:.5em 0}
        td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;vertical-align:top}th{background:#f4f4f4}
        table.meta td,table.meta th,table.legend td,table.legend th,table.examples td,table.examples th,td.name,th.name{text-align:left}
        li.miss{color:#a11}li.extra{color:#a11;text-decoration:line-through}
        table.examples td{overflow-wrap:anywhere;max-width:40em}table.examples ul{margin:0;padding-left:1.2em}
        table.confusion td.hit{background:#dbe8f6}p.note{color:#555;font-size:90%}
        svg text{font-size:\(chartFont)px;font-family:\(fontStack)}
        </style></head><body>
        \(body)</body></html>

        """
    }

    static func f(_ x: Double) -> String { String(format: "%.4f", x) }

    static func esc(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }

    static func summaryTable(_ s: SetScores) -> String {
        "<table><tr><th>micro P</th><th>micro R</th><th>micro F1</th><th>macro F1</th><th>gold</th><th>predicted</th></tr>" +
        "<tr><td>\(f(s.micro.precision))</td><td>\(f(s.micro.recall))</td><td>\(f(s.micro.f1))</td><td>\(f(s.macroF1))</td>" +
        "<td>\(s.micro.tp + s.micro.fn)</td><td>\(s.micro.tp + s.micro.fp)</td></tr></table>\n"
    }

    /// A table and an SVG bar chart with exactly one `<rect class="bar">` per type (the
    /// codes' meanings are in the legend at the top).
    static func section(_ title: String, _ types: [TypeScore], id: String) -> String {
        var s = "<h3>\(esc(title))</h3>\n<table><tr><th class=\"name\">type</th><th>P</th><th>R</th><th>F1</th><th>support</th></tr>"
        for t in types {
            s += "<tr><td class=\"name\">\(esc(t.name))</td><td>\(f(t.score.precision))</td><td>\(f(t.score.recall))</td><td>\(f(t.score.f1))</td><td>\(t.score.support)</td></tr>"
        }
        s += "</table>\n"
        s += barChart(types, id: id)
        return s
    }

    /// Bars of F1 per type; the label column is as wide as the longest label.
    static func barChart(_ types: [TypeScore], id: String) -> String {
        let rowH = 18, barW = 400, pad = 8
        let labelW = max(60, (types.map { estimatedWidth($0.name) }.max() ?? 0) + 2 * pad)
        let h = rowH * types.count + 24
        var s = "<svg class=\"chart\" id=\"chart-\(id)\" width=\"\(labelW + barW + 60)\" height=\"\(h)\" role=\"img\">"
        for (i, t) in types.enumerated() {
            let y = i * rowH + 4
            let w = Int((t.score.f1 * Double(barW)).rounded())
            s += "<text class=\"label\" x=\"\(labelW - pad)\" y=\"\(y + 13)\" text-anchor=\"end\">\(esc(t.name))</text>"
            s += "<rect class=\"bar\" x=\"\(labelW)\" y=\"\(y)\" width=\"\(w)\" height=\"\(rowH - 4)\" fill=\"#4a7ab5\"><title>\(esc(t.name)): F1 \(f(t.score.f1))</title></rect>"
            s += "<text x=\"\(labelW + w + 4)\" y=\"\(y + 13)\">\(String(format: "%.3f", t.score.f1))</text>"
        }
        let axisY = types.count * rowH + 6
        s += "<line x1=\"\(labelW)\" y1=\"\(axisY)\" x2=\"\(labelW + barW)\" y2=\"\(axisY)\" stroke=\"#888\"/>"
        s += "<text x=\"\(labelW)\" y=\"\(axisY + 14)\">0</text><text x=\"\(labelW + barW)\" y=\"\(axisY + 14)\" text-anchor=\"end\">1</text>"
        s += "</svg>\n"
        return s
    }

    /// Rows: gold labels with their numbers; columns: the same numbers (long labels fit).
    static func confusion(_ m: ConfusionMatrix) -> String {
        func name(_ l: String) -> String { l.isEmpty ? "(none)" : l }
        var s = "<h3>Confusion matrix (rows: gold, columns: predicted, numbered as the rows)</h3>\n"
        s += "<table class=\"confusion\"><tr><th class=\"name\">gold</th>"
        for i in m.labels.indices { s += "<th>\(i + 1)</th>" }
        s += "</tr>"
        for (i, l) in m.labels.enumerated() {
            s += "<tr><th class=\"name\">\(i + 1) \(esc(name(l)))</th>"
            for (j, c) in m.counts[i].enumerated() {
                s += i == j ? "<td class=\"hit\">\(c)</td>" : "<td>\(c == 0 ? "" : "\(c)")</td>"
            }
            s += "</tr>"
        }
        return s + "</table>\n"
    }

    /// The examples with the most errors, gold beside prediction.
    static func examples(_ list: [ExampleResult]) -> String {
        var s = "<h2>The \(list.count) examples with the most errors</h2>\n<p class=\"note\">Red: gold items the head missed; struck out: predictions not in the gold.</p>\n"
        if list.isEmpty { return s + "<p class=\"note\">No example has an error.</p>\n" }
        s += "<table class=\"examples\"><tr><th>id</th><th>errors</th><th>text</th><th>gold</th><th>predicted</th></tr>"
        // Items on one side only are marked: gold missed (red), predictions not in gold (struck out).
        func items(_ xs: [String], other: Set<String>, mark: String) -> String {
            xs.isEmpty ? "<i>(none)</i>" : "<ul>" + xs.map { other.contains($0) ? "<li>\(esc($0))</li>" : "<li class=\"\(mark)\">\(esc($0))</li>" }.joined() + "</ul>"
        }
        for e in list {
            s += "<tr><td>\(esc(e.id))</td><td>\(e.errors)</td><td>\(esc(e.text))</td>"
            s += "<td>\(items(e.gold, other: Set(e.predicted), mark: "miss"))</td><td>\(items(e.predicted, other: Set(e.gold), mark: "extra"))</td></tr>"
        }
        return s + "</table>\n"
    }
}
