import CLibXML2

/// Visible text of an HTML tree in reading order: block elements end lines, `<br>` breaks,
/// table cells are separated by tabs and rows by newlines, whitespace collapses as a browser
/// would (except inside `<pre>`), and script, style, noscript, template and head are
/// skipped. `<a name=...>` / `<a id=...>` anchors are recorded with their scalar offsets.
struct HTMLTextWalker {
    static let skipped: Set<String> = ["script", "style", "noscript", "template", "head", "iframe", "object",
                                       "svg", "math", "select", "button"]
    static let blocks: Set<String> = ["address", "article", "aside", "blockquote", "body", "center", "dd", "details",
                                      "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
                                      "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav",
                                      "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
                                      "ul", "caption", "title", "legend", "option"]
    var builder = TextBuilder()
    private var preDepth = 0

    mutating func walk(_ node: xmlNodePtr, depth: Int = 0) {
        if depth > 512 { return }
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            let s = LibXML.content(node)
            if preDepth > 0 { builder.append(s) } else { builder.appendCollapsing(s) }
        case XML_ELEMENT_NODE, XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE:
            let name = node.pointee.type == XML_ELEMENT_NODE ? LibXML.name(node).lowercased() : ""
            if HTMLTextWalker.skipped.contains(name) { return }
            if name == "br" { builder.hardBreak(); return }
            if name == "a", let anchor = LibXML.attribute(node, "name") ?? LibXML.attribute(node, "id") {
                builder.anchor(anchor)
            }
            let block = HTMLTextWalker.blocks.contains(name)
            if block { builder.lineBreak() }
            if name == "td" || name == "th" { builder.separator("\t") }
            if name == "pre" { preDepth += 1 }
            var child = node.pointee.children
            while let c = child { walk(c, depth: depth + 1); child = c.pointee.next }
            if name == "pre" { preDepth -= 1 }
            if block { builder.lineBreak() }
        default:
            break
        }
    }

    /// The text of the first `<title>` element, if any.
    static func title(of doc: xmlDocPtr) -> String? {
        func find(_ node: xmlNodePtr, _ depth: Int) -> xmlNodePtr? {
            if depth > 64 { return nil }
            if node.pointee.type == XML_ELEMENT_NODE && LibXML.name(node).lowercased() == "title" { return node }
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, let hit = find(c, depth + 1) { return hit }
                child = c.pointee.next
            }
            return nil
        }
        guard let root = xmlDocGetRootElement(doc), let t = find(root, 0) else { return nil }
        var b = TextBuilder()
        var child = t.pointee.children
        while let c = child { if c.pointee.type == XML_TEXT_NODE { b.appendCollapsing(LibXML.content(c)) }; child = c.pointee.next }
        let s = b.finish()
        return s.isEmpty ? nil : s
    }
}
