import CLibXML2

/// Collects the text of an XML subtree: text and CDATA in document order, each element a
/// line of its own unless it is an inline element, whitespace-only text dropped, internal
/// entity references expanded from their (already loop-checked) declarations, with a budget.
struct XMLTextWalker {
    static let inline: Set<String> = ["b", "i", "u", "em", "strong", "span", "a", "sub", "sup", "font", "small",
                                      "big", "mark", "q", "abbr", "code", "s", "del", "ins"]
    let doc: xmlDocPtr
    /// Most scalars the walk may produce (guards against entity amplification).
    var budget: Int
    var builder = TextBuilder()
    private(set) var overBudget = false

    init(doc: xmlDocPtr, budget: Int) {
        self.doc = doc
        self.budget = budget
    }

    mutating func walk(_ node: xmlNodePtr, depth: Int = 0) {
        if overBudget || depth > 512 { return }
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            let s = LibXML.content(node).trimmingASCIIWhitespace()
            if !s.isEmpty {
                builder.append(s)
                if builder.scalars > budget { overBudget = true }
            }
        case XML_ELEMENT_NODE, XML_DOCUMENT_NODE:
            var child = node.pointee.children
            while let c = child { walk(c, depth: depth + 1); child = c.pointee.next }
            if node.pointee.type == XML_ELEMENT_NODE && !XMLTextWalker.inline.contains(LibXML.name(node)) {
                builder.lineBreak()
            }
        case XML_ENTITY_REF_NODE:
            if let ent = xmlGetDocEntity(doc, node.pointee.name) {
                let e = UnsafeMutableRawPointer(ent).assumingMemoryBound(to: xmlNode.self)
                var child = e.pointee.children
                if child == nil, let c = ent.pointee.content {
                    builder.append(String(cString: c))
                }
                while let c = child { walk(c, depth: depth + 1); child = c.pointee.next }
            }
        default:
            break
        }
    }
}

extension String {
    /// Trims ASCII whitespace only (U+3000 and NBSP are text in Chinese documents).
    func trimmingASCIIWhitespace() -> String {
        let u = unicodeScalars
        var start = u.startIndex, end = u.endIndex
        func ws(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        while start < end && ws(u[start]) { start = u.index(after: start) }
        while end > start && ws(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(u[start..<end])
    }
}
