/// Builds extracted text from pieces, with lazy line breaks (never leading, never doubled,
/// never trailing) and an exact count of Unicode scalars, so that anchors found while
/// walking a tree get scalar offsets into the final text.
struct TextBuilder {
    private(set) var text = ""
    /// Unicode scalars in `text`.
    private(set) var scalars = 0
    private var pendingBreak: String?
    private var pendingSpace = false
    /// Anchors waiting for the next text: name and the end of the text before them.
    private var waiting: [(name: String, previousEnd: Int)] = []
    /// Anchors placed: name, start offset, end offset of the text before the anchor.
    private(set) var anchors: [(name: String, start: Int, previousEnd: Int)] = []

    /// True when nothing has been written on the current line yet.
    var atLineStart: Bool { text.isEmpty || pendingBreak != nil || text.unicodeScalars.last == "\n" }

    /// Appends text verbatim (after any pending break or space).
    mutating func append(_ s: String) {
        guard !s.isEmpty else { return }
        flush()
        text += s
        scalars += s.unicodeScalars.count
    }

    /// Appends HTML-style text: runs of ASCII whitespace collapse to one space, and spaces at
    /// the start or end of a line are dropped. Other spaces (U+3000, NBSP) are kept.
    mutating func appendCollapsing(_ s: String) {
        var piece = ""
        for u in s.unicodeScalars {
            if u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{0C}" {
                if !piece.isEmpty { append(piece); piece = "" }
                if !atLineStart { pendingSpace = true }
            } else {
                piece.unicodeScalars.append(u)
            }
        }
        if !piece.isEmpty { append(piece) }
    }

    /// Ends the current line (if anything is on it).
    mutating func lineBreak() {
        pendingSpace = false
        if !text.isEmpty && text.unicodeScalars.last != "\n" && pendingBreak == nil { pendingBreak = "\n" }
    }

    /// A forced newline (`<br>`, `w:br`): kept even when the line is empty, but not at the start.
    mutating func hardBreak() {
        pendingSpace = false
        if text.isEmpty && pendingBreak == nil { return }
        flushBreakOnly()
        text += "\n"
        scalars += 1
    }

    /// A separator such as a tab between table cells (not at the start of a line).
    mutating func separator(_ s: String) {
        pendingSpace = false
        if atLineStart { return }
        text += s
        scalars += s.unicodeScalars.count
    }

    /// Marks an anchor: it will point at the start of the next text written.
    mutating func anchor(_ name: String) {
        waiting.append((name, scalars))
    }

    private mutating func flushBreakOnly() {
        if let b = pendingBreak { text += b; scalars += b.unicodeScalars.count; pendingBreak = nil }
    }

    private mutating func flush() {
        let before = scalars
        flushBreakOnly()
        if pendingSpace { text += " "; scalars += 1; pendingSpace = false }
        if !waiting.isEmpty {
            for w in waiting { anchors.append((w.name, scalars, min(w.previousEnd, before))) }
            waiting.removeAll()
        }
    }

    /// The text without trailing newlines, spaces or tabs.
    mutating func finish() -> String {
        while let last = text.unicodeScalars.last, last == "\n" || last == " " || last == "\t" {
            text.unicodeScalars.removeLast()
            scalars -= 1
        }
        for w in waiting { anchors.append((w.name, scalars, min(w.previousEnd, scalars))) }
        waiting.removeAll()
        pendingBreak = nil
        pendingSpace = false
        return text
    }

    /// Sections from anchors: each runs from its anchor to the end of the text before the next one.
    func sections() -> [(name: String, start: Int, end: Int)] {
        var out: [(String, Int, Int)] = []
        for (i, a) in anchors.enumerated() {
            let end = i + 1 < anchors.count ? anchors[i + 1].previousEnd : scalars
            out.append((a.name, a.start, max(a.start, end)))
        }
        return out
    }
}
