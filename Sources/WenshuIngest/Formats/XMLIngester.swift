import CLibXML2
import Foundation
import WenshuCore

/// XML through libxml2, with no network, no entity substitution and no huge mode.
///
/// Encoding: a BOM, then `IngestOptions.encoding`, then the XML declaration (GBK/GB2312 read as
/// GB18030 with ICU, so user-defined bytes survive), then detection for undeclared files. The
/// bytes are decoded with ICU and handed to libxml2 as UTF-8.
///
/// Mapping (`IngestOptions.xml`): an optional `record` XPath makes one document per matching
/// element; `id`, `title`, `body` and `metadata` XPaths are evaluated relative to the record.
/// Without `body`, the document's text is all its text, one line per element.
/// Errors: `xml.malformed` (line and column), `xml.entity_forbidden` (external entities,
/// entity loops), `xml.xpath_invalid`, `xml.no_text`.
public struct XMLIngester: Ingester {
    public var format: DocumentFormat { .xml }
    public init() {}

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        let path = input.path
        let decoded = input.bytes.withUnsafeBufferPointer { buf in
            DeclaredCharset.decodeMarkup(buf, declared: DeclaredCharset.xmlDeclaration(buf), forced: options.encoding,
                                         path: path)
        }
        let d: DecodedText
        switch decoded {
        case .failure(let e): try emit(.failure(e)); return
        case .success(let v): d = v
        }
        for r in XMLIngester.documents(utf8: Array(d.text.utf8), mapping: options.xml, budget: input.bytes.count * 4 + 4096,
                                       path: path, source: input.source(.xml, encoding: d.encoding)) {
            try emit(r)
        }
    }

    /// Parses UTF-8 XML and maps it to documents (also used for XML embedded in other formats).
    static func documents(utf8: [UInt8], mapping: IngestOptions.XMLMapping, budget: Int, path: String,
                          source: SourceInfo) -> [Result<Document, WenshuError>] {
        let doc: xmlDocPtr
        switch LibXML.parseXML(utf8, path: path) {
        case .failure(let e): return [.failure(e)]
        case .success(let v): doc = v
        }
        defer { xmlFreeDoc(doc) }
        guard let xp = xmlXPathNewContext(doc) else {
            return [.failure(.ingest(.xml.xpath, "cannot create an XPath context", path: path))]
        }
        defer { xmlXPathFreeContext(xp) }
        xp.pointee.error = { _, _ in }  // errors are reported through our own results
        registerNamespaces(doc, xp)

        var records: [xmlNodePtr] = []
        if let rx = mapping.record {
            switch XMLIngester.nodes(rx, xp, UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self)) {
            case .failure(let e): return [.failure(e.at(path: path))]
            case .success(let ns): records = ns
            }
            if records.isEmpty {
                return [.failure(.ingest(.xml.noRecords, "the record XPath \(rx) matches nothing", path: path))]
            }
        } else {
            records = [UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self)]
        }

        var out: [Result<Document, WenshuError>] = []
        for (i, node) in records.enumerated() {
            let within = mapping.record.map { "\($0)[\(i + 1)]" }
            do {
                var text: String
                if let bx = mapping.body {
                    text = try XMLIngester.text(bx, xp, node, doc: doc, budget: budget)
                } else {
                    var w = XMLTextWalker(doc: doc, budget: budget)
                    w.walk(node)
                    if w.overBudget { throw WenshuError.ingest(.xml.entityForbidden, "entity expansion exceeds the text budget", path: path) }
                    text = w.builder.finish()
                }
                text = text.trimmingASCIIWhitespace()
                if text.isEmpty {
                    throw WenshuError.ingest(.xml.noText, "no text found" + (mapping.body.map { " at \($0)" } ?? ""),
                                             path: path)
                }
                let id = try mapping.id.map { try XMLIngester.string($0, xp, node) }.flatMap { $0.isEmpty ? nil : $0 }
                let title = try mapping.title.map { try XMLIngester.string($0, xp, node) }.flatMap { $0.isEmpty ? nil : $0 }
                var meta: [String: String] = [:]
                for (k, x) in mapping.metadata {
                    let v = try XMLIngester.string(x, xp, node)
                    if !v.isEmpty { meta[k] = v }
                }
                var src = source
                if records.count > 1 || mapping.record != nil { src.record = i }
                let fallback = mapping.record != nil ? "\(path)#\(i + 1)" : path
                out.append(.success(Document(id: id ?? fallback, source: src, text: text, title: title, metadata: meta)))
            } catch let e as WenshuError {
                out.append(.failure(e.at(path: path).at(SourceLocation(within: within))))
            } catch {
                out.append(.failure(.ingest(.xml.mapping, "\(error)", path: path)))
            }
        }
        return out
    }

    /// Registers the namespaces declared on the root so XPaths can use their prefixes.
    private static func registerNamespaces(_ doc: xmlDocPtr, _ xp: xmlXPathContextPtr) {
        guard let root = xmlDocGetRootElement(doc) else { return }
        var ns = root.pointee.nsDef
        while let n = ns {
            if let prefix = n.pointee.prefix, let href = n.pointee.href { xmlXPathRegisterNs(xp, prefix, href) }
            ns = n.pointee.next
        }
    }

    private static func eval(_ expr: String, _ xp: xmlXPathContextPtr, _ node: xmlNodePtr) throws -> xmlXPathObjectPtr {
        xp.pointee.node = node
        guard let obj = xmlXPathEvalExpression(expr, xp) else {
            throw WenshuError(.xml.xpathInvalid, "invalid XPath expression: \(expr)", stage: .ingest)
        }
        return obj
    }

    static func nodes(_ expr: String, _ xp: xmlXPathContextPtr, _ node: xmlNodePtr) -> Result<[xmlNodePtr], WenshuError> {
        do {
            let obj = try eval(expr, xp, node)
            defer { xmlXPathFreeObject(obj) }
            return .success(nodeList(obj))
        } catch let e as WenshuError { return .failure(e) } catch { return .failure(WenshuError(.xml.xpath, "\(error)", stage: .ingest)) }
    }

    private static func nodeList(_ obj: xmlXPathObjectPtr) -> [xmlNodePtr] {
        guard obj.pointee.type == XPATH_NODESET, let set = obj.pointee.nodesetval, let tab = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { tab[$0] }
    }

    /// The text of every node the XPath selects, joined with newlines (or its string value).
    static func text(_ expr: String, _ xp: xmlXPathContextPtr, _ node: xmlNodePtr, doc: xmlDocPtr, budget: Int) throws -> String {
        let obj = try eval(expr, xp, node)
        defer { xmlXPathFreeObject(obj) }
        if obj.pointee.type != XPATH_NODESET { return castString(obj) }
        var w = XMLTextWalker(doc: doc, budget: budget)
        for n in nodeList(obj) {
            if n.pointee.type == XML_ATTRIBUTE_NODE, let s = xmlNodeGetContent(n) {
                w.builder.append(String(cString: s)); xmlFree(s)
            } else {
                w.walk(n)
            }
            w.builder.lineBreak()
        }
        if w.overBudget { throw WenshuError(.xml.entityForbidden, "entity expansion exceeds the text budget", stage: .ingest) }
        return w.builder.finish()
    }

    /// XPath string value (first node's text for node sets), trimmed.
    static func string(_ expr: String, _ xp: xmlXPathContextPtr, _ node: xmlNodePtr) throws -> String {
        let obj = try eval(expr, xp, node)
        defer { xmlXPathFreeObject(obj) }
        return castString(obj).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func castString(_ obj: xmlXPathObjectPtr) -> String {
        guard let s = xmlXPathCastToString(obj) else { return "" }
        defer { xmlFree(s) }
        return String(cString: s)
    }
}
