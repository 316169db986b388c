import CLibXML2

/// Text of a WordprocessingML body (word/document.xml) in document order: one line per
/// paragraph (`w:p`), `w:tab` as a tab, `w:br`/`w:cr` as a newline, tables as rows of
/// tab-separated cells (the paragraphs of one cell joined by spaces). Deleted text
/// (`w:delText`), field codes (`w:instrText`) and drawings' alternate content are skipped.
struct DocxTextWalker {
    var builder = TextBuilder()
    private var cellDepth = 0

    mutating func walk(_ node: xmlNodePtr, depth: Int = 0) {
        if depth > 256 || node.pointee.type != XML_ELEMENT_NODE { return }
        let name = LibXML.name(node)
        switch name {
        case "t":
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE {
                    builder.append(LibXML.content(c))
                }
                child = c.pointee.next
            }
            return
        case "tab":
            if !isInsideTabList(node) { builder.append("\t") }
            return
        case "br", "cr":
            builder.hardBreak()
            return
        case "noBreakHyphen":
            builder.append("-")
            return
        case "delText", "instrText", "fldData", "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid",
             "Fallback", "footnoteReference", "endnoteReference", "commentReference":
            return
        default:
            break
        }
        if name == "tc" {
            builder.separator("\t")
            cellDepth += 1
        }
        var first = true
        var child = node.pointee.children
        while let c = child {
            if cellDepth > 0 && name == "tc" && LibXML.name(c) == "p" && c.pointee.type == XML_ELEMENT_NODE {
                if !first { builder.separator(" ") }
                first = false
            }
            walk(c, depth: depth + 1)
            child = c.pointee.next
        }
        switch name {
        case "p" where cellDepth == 0: builder.lineBreak()
        case "tc": cellDepth -= 1
        case "tr": builder.lineBreak()
        default: break
        }
    }

    /// `w:tab` inside `w:tabs` (tab stop definitions in paragraph properties) is not text.
    private func isInsideTabList(_ node: xmlNodePtr) -> Bool {
        guard let p = node.pointee.parent else { return false }
        return LibXML.name(p) == "tabs"
    }
}
