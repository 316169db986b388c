import Foundation

/// Renders an `EvaluationReport` as one self-contained HTML page: tables and per-type F1
/// bar charts in inline SVG, inline CSS, no scripts, nothing loaded from the network.
public enum HTMLReport {
    /// The page for `report`.
    public static func render(_ report: EvaluationReport) -> String {
        var body = ""
        body += "<h1>Wenshu evaluation: \(esc(report.head))</h1>\n"
        body += "<table class=\"meta\">"
        for (k, v) in [("head", report.head), ("kind", report.kind), ("bundle", report.bundle ?? "-"),
                       ("data", report.data), ("format", report.format), ("split", report.split),
                       ("examples", "\(report.examples)"), ("malformed lines", "\(report.malformedLines)"),
                       ("inference", String(format: "%.2f s (%.1f examples/s)", report.inferenceSeconds, report.examplesPerSecond))] {
            body += "<tr><th>\(esc(k))</th><td>\(esc(v))</td></tr>"
        }
        body += "</table>\n"
        if let c = report.classification {
            body += "<h2>Classification</h2>\n<table><tr><th>accuracy</th><th>micro-F1</th><th>macro-F1</th><th>CAIL score</th></tr>"
            body += "<tr><td>\(f(c.accuracy))</td><td>\(f(c.microF1))</td><td>\(f(c.macroF1))</td><td>\(f(c.cailScore))</td></tr></table>\n"
            body += section("F1 per label", c.perLabel, id: "labels")
            if let m = c.confusion { body += confusion(m) }
        }
        if let s = report.spans {
            body += "<h2>Spans (exact match)</h2>\n" + summaryTable(s)
            body += section("F1 per span type", s.perType, id: "spans")
        }
        if let e = report.events {
            body += "<h2>Events</h2>\n" + summaryTable(e.events)
            body += section("F1 per event type", e.events.perType, id: "events")
            body += "<h2>Arguments</h2>\n" + summaryTable(e.arguments)
            body += section("F1 per argument role", e.arguments.perType, id: "arguments")
        }
        return """
        <!DOCTYPE html>
        <html lang="zh"><head><meta charset="utf-8"><title>Wenshu evaluation: \(esc(report.head))</title>
        <style>
        body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}
        td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f4f4f4}
        table.meta td,table.meta th{text-align:left}svg text{font-size:12px}
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

    /// A table and an SVG bar chart with exactly one `<rect class="bar">` per type.
    static func section(_ title: String, _ types: [TypeScore], id: String) -> String {
        var s = "<h3>\(esc(title))</h3>\n<table><tr><th>type</th><th>P</th><th>R</th><th>F1</th><th>support</th></tr>"
        for t in types {
            s += "<tr><td>\(esc(t.name))</td><td>\(f(t.score.precision))</td><td>\(f(t.score.recall))</td><td>\(f(t.score.f1))</td><td>\(t.score.support)</td></tr>"
        }
        s += "</table>\n"
        s += barChart(types, id: id)
        return s
    }

    static func barChart(_ types: [TypeScore], id: String) -> String {
        let rowH = 18, labelW = 220, barW = 400
        let h = rowH * types.count + 24
        var s = "<svg class=\"chart\" id=\"chart-\(id)\" width=\"\(labelW + barW + 70)\" height=\"\(h)\" role=\"img\">"
        for (i, t) in types.enumerated() {
            let y = i * rowH + 4
            let w = Int((t.score.f1 * Double(barW)).rounded())
            s += "<text x=\"\(labelW - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(esc(t.name))</text>"
            s += "<rect class=\"bar\" x=\"\(labelW)\" y=\"\(y)\" width=\"\(w)\" height=\"\(rowH - 4)\" fill=\"#4a7ab5\"><title>\(esc(t.name)): F1 \(f(t.score.f1))</title></rect>"
            s += "<text x=\"\(labelW + w + 4)\" y=\"\(y + 13)\">\(String(format: "%.3f", t.score.f1))</text>"
        }
        let axisY = types.count * rowH + 6
        s += "<line x1=\"\(labelW)\" y1=\"\(axisY)\" x2=\"\(labelW + barW)\" y2=\"\(axisY)\" stroke=\"#888\"/>"
        s += "<text x=\"\(labelW)\" y=\"\(axisY + 14)\">0</text><text x=\"\(labelW + barW)\" y=\"\(axisY + 14)\" text-anchor=\"end\">1</text>"
        s += "</svg>\n"
        return s
    }

    static func confusion(_ m: ConfusionMatrix) -> String {
        var s = "<h3>Confusion matrix (rows: gold, columns: predicted)</h3>\n<table><tr><th></th>"
        for l in m.labels { s += "<th>\(esc(l.isEmpty ? "(none)" : l))</th>" }
        s += "</tr>"
        for (i, l) in m.labels.enumerated() {
            s += "<tr><th>\(esc(l.isEmpty ? "(none)" : l))</th>"
            for c in m.counts[i] { s += "<td>\(c)</td>" }
            s += "</tr>"
        }
        return s + "</table>\n"
    }
}
