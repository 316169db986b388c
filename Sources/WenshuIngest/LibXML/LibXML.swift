import CLibXML2
import Foundation
import WenshuCore

/// Thin, safe-by-default helpers over libxml2: parser setup (no network, no entity
/// substitution, no huge mode), error mapping, node names and attributes.
enum LibXML {
    private static let once: Void = { xmlInitParser() }()

    /// Calls `xmlInitParser()` once per process (before any worker parses).
    static func initialize() { _ = once }

    /// The local name of a node ("" when it has none).
    static func name(_ node: xmlNodePtr) -> String {
        guard let n = node.pointee.name else { return "" }
        return String(cString: n)
    }

    /// The value of attribute `attr`, or nil.
    static func attribute(_ node: xmlNodePtr, _ attr: String) -> String? {
        guard let v = xmlGetProp(node, attr) else { return nil }
        defer { xmlFree(v) }
        return String(cString: v)
    }

    /// A node's own text content (text, CDATA).
    static func content(_ node: xmlNodePtr) -> String {
        guard let c = node.pointee.content else { return "" }
        return String(cString: c)
    }

    /// Parses UTF-8 XML. The document's own encoding declaration is ignored here because the
    /// caller has already decoded the bytes (with ICU) and re-encoded them as UTF-8.
    /// Errors: `xml.entity_forbidden` for entity loops and external entities, `xml.malformed`
    /// with line and column otherwise. The caller frees the document with `xmlFreeDoc`.
    static func parseXML(_ utf8: [UInt8], path: String, within: String? = nil) -> Result<xmlDocPtr, WenshuError> {
        initialize()
        if utf8.isEmpty {
            return .failure(.ingest(.xml.malformed, "the document is empty", path: path,
                                    location: SourceLocation(line: 1, column: 1, within: within)))
        }
        guard let ctxt = xmlNewParserCtxt() else {
            return .failure(.ingest(.xml.parser, "libxml2 could not allocate a parser", path: path))
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let opts = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                         | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_NOCDATA.rawValue)
        let doc: xmlDocPtr? = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) { p in
                xmlCtxtReadMemory(ctxt, p, Int32(buf.count), path, "UTF-8", opts)
            }
        }
        if let doc, ctxt.pointee.wellFormed != 0 {
            let ext = externalEntities(doc)
            if !ext.isEmpty {
                xmlFreeDoc(doc)
                return .failure(.ingest(.xml.entityForbidden,
                                        "external entities are not allowed (XXE): \(ext.joined(separator: ", "))",
                                        path: path, location: SourceLocation(within: within)))
            }
            return .success(doc)
        }
        if let doc { xmlFreeDoc(doc) }
        return .failure(error(from: xmlCtxtGetLastError(ctxt), path: path, within: within, code: .xml.malformed))
    }

    /// Parses UTF-8 HTML with libxml2's HTML parser (lenient; no network).
    static func parseHTML(_ utf8: [UInt8], path: String) -> Result<htmlDocPtr, WenshuError> {
        initialize()
        if utf8.isEmpty { return .failure(.ingest(.html.malformed, "the document is empty", path: path)) }
        guard let ctxt = htmlNewParserCtxt() else {
            return .failure(.ingest(.html.parser, "libxml2 could not allocate a parser", path: path))
        }
        defer { htmlFreeParserCtxt(ctxt) }
        let opts = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                         | HTML_PARSE_IGNORE_ENC.rawValue)
        let doc: htmlDocPtr? = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) { p in
                htmlCtxtReadMemory(ctxt, p, Int32(buf.count), path, "UTF-8", opts)
            }
        }
        if let doc, xmlDocGetRootElement(doc) != nil { return .success(doc) }
        if let doc { xmlFreeDoc(doc) }
        return .failure(error(from: xmlCtxtGetLastError(ctxt), path: path, within: nil, code: .html.malformed))
    }

    /// Maps libxml2's last error to a WenshuError.
    static func error(from err: xmlErrorPtr?, path: String, within: String?, code: ErrorCode) -> WenshuError {
        guard let e = err?.pointee else {
            return .ingest(code, "the document could not be parsed", path: path, location: SourceLocation(within: within))
        }
        var msg = e.message.map { String(cString: $0) } ?? "parse error"
        msg = msg.trimmingCharacters(in: .whitespacesAndNewlines)
        let loc = SourceLocation(line: e.line > 0 ? Int(e.line) : nil, column: e.int2 > 0 ? Int(e.int2) : nil,
                                 within: within)
        let entityCodes: Set<Int32> = [Int32(XML_ERR_ENTITY_LOOP.rawValue), Int32(XML_ERR_ENTITY_BOUNDARY.rawValue),
                                       Int32(XML_ERR_EXT_ENTITY_STANDALONE.rawValue)]
        if entityCodes.contains(e.code) || msg.contains("entity reference loop") || msg.contains("Entity") && msg.contains("amplification") {
            return .ingest(.xml.entityForbidden, "entity expansion refused (billion laughs or entity loop): \(msg)",
                           path: path, location: loc, cause: "libxml2 error \(e.code)")
        }
        return .ingest(code, msg, path: path, location: loc, cause: "libxml2 error \(e.code)")
    }

    /// Names of external entities declared in the document's DTD subsets.
    static func externalEntities(_ doc: xmlDocPtr) -> [String] {
        var out: [String] = []
        for dtd in [doc.pointee.intSubset, doc.pointee.extSubset] {
            guard let dtd else { continue }
            var child = dtd.pointee.children
            while let c = child {
                if c.pointee.type == XML_ENTITY_DECL {
                    let ent = UnsafeMutableRawPointer(c).assumingMemoryBound(to: xmlEntity.self)
                    let t = ent.pointee.etype
                    if t == XML_EXTERNAL_GENERAL_PARSED_ENTITY || t == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY
                        || t == XML_EXTERNAL_PARAMETER_ENTITY {
                        out.append(name(c))
                    }
                }
                child = c.pointee.next
            }
        }
        return out
    }
}
