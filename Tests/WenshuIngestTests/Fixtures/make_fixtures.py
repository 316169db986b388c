#!/usr/bin/env python3
"""Builds the ingest test fixtures (and, with --samples, samples/documents and samples/bad)
from the real data in ../shared/data. Run from the repository root:

    python3 Tests/WenshuIngestTests/Fixtures/make_fixtures.py [--samples]

Every fixture is a small excerpt of real text; FIXTURES.md says where each comes from.
Deterministic: the same data gives the same bytes (zip timestamps are fixed).
"""
import json, os, subprocess, sys, zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")
if not os.path.isdir(DATA):
    DATA = "/work/shared/data"
FIX = os.path.join(ROOT, "Tests", "WenshuIngestTests", "Fixtures")


def jsonl(rel):
    with open(os.path.join(DATA, rel), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def judgment(id_):
    return next(d for d in jsonl("judgments-fulltext/judgments.jsonl") if d["id"] == id_)


def traditional(text):
    """ICU's Simplified-Traditional transliterator (uconv ships with ICU)."""
    return subprocess.run(["uconv", "-x", "Simplified-Traditional"], input=text.encode(), capture_output=True,
                          check=True).stdout.decode()


def big5(text):
    return traditional(text).encode("big5", errors="replace")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def cut(text, n):
    """At most n characters, ending after a 。 when there is one."""
    if len(text) <= n:
        return text
    k = text.rfind("。", 0, n)
    return text[: k + 1] if k > n // 2 else text[:n]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs, table=None, title=None, breaks_in=None):
    """A minimal but valid WordprocessingML package. `table` is a list of rows of cell texts;
    `breaks_in` (index) puts a w:br between the halves of that paragraph."""
    body = []
    for i, p in enumerate(paragraphs):
        if breaks_in == i and "，" in p:
            a, b = p.split("，", 1)
            runs = f'<w:r><w:t>{escape(a)}，</w:t></w:r><w:r><w:br/><w:t xml:space="preserve">{escape(b)}</w:t></w:r>'
        else:
            runs = f"<w:r><w:rPr><w:rFonts w:ascii=\"仿宋\"/></w:rPr><w:t>{escape(p)}</w:t></w:r>"
        body.append(f"<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>{runs}</w:p>")
        if table and i == 0:
            rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in r)
                           + "</w:tr>" for r in table)
            body.append(f"<w:tbl><w:tblPr/>{rows}</w:tbl>")
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
           + "".join(body) + '<w:sectPr/></w:body></w:document>')
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{escape(title or "")}</dc:title></cp:coreProperties>')
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", doc),
                           ("docProps/core.xml", core)]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


def zip_without_document():
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("[Content_Types].xml", date_time=(2020, 1, 1, 0, 0, 0))
        z.writestr(info, '<?xml version="1.0"?><Types/>')
    return buf.getvalue()


def web_records():
    out = []
    for name in ["wenshu-sample2.json", "wenshu-sample3.json"]:
        with open(os.path.join(DATA, "raw-web", name), encoding="utf-8") as f:
            out.append((name, json.load(f)))
    return out


def gb18030_raw_lines(n):
    with open(os.path.join(DATA, "raw-encodings", "cail2018-sample.gb18030.jsonl"), "rb") as f:
        return f.read().split(b"\n")[:n]


def fixtures():
    j_short = judgment(619)  # 黄勇盗窃二审 (425 chars)
    j_other = judgment(740)
    text = j_short["text"]
    write(f"{FIX}/utf8.txt", text + "\n")
    write(f"{FIX}/utf8-bom.txt", b"\xef\xbb\xbf" + (judgment(722)["text"] + "\n").encode())
    t3 = judgment(742)["text"]
    write(f"{FIX}/utf16le.txt", b"\xff\xfe" + (t3 + "\n").encode("utf-16-le"))
    write(f"{FIX}/utf16be.txt", b"\xfe\xff" + (t3 + "\n").encode("utf-16-be"))

    # GB18030: raw bytes cut from the real file (first 3 lines).
    lines = gb18030_raw_lines(3)
    write(f"{FIX}/gb18030-real.jsonl", b"\n".join(lines) + b"\n")
    # GBK with user-defined bytes: the real file holds none (checked), so the pair AA A5
    # (U+E004 in GB18030) is inserted into real GBK bytes cut from the same file.
    fact = json.loads(lines[0].decode("gb18030"))["fact"]
    a, b = fact[:40], fact[40:300]
    write(f"{FIX}/gbk-userdefined.txt", a.encode("gbk") + b"\xaa\xa5" + b.encode("gbk") + b"\r\n")
    # Real GBK file with CRLF: the head of traffic-elements/annotated_sample.gbk.txt.
    with open(os.path.join(DATA, "traffic-elements", "annotated_sample.gbk.txt"), "rb") as f:
        raw = f.read()
    k = raw.rfind(b"\r\n", 0, 1500)
    write(f"{FIX}/gbk-crlf.txt", raw[: k + 2])
    # Big5: a real judgment in traditional characters (ICU), encoded as Big5.
    write(f"{FIX}/big5.txt", big5(cut(j_other["text"], 280)) + b"\n")
    # CRLF and a lone CR: civil-loans text, paragraphs joined with CRLF, one with CR.
    c = jsonl("civil-loans/documents.jsonl")[0]["C"]
    sents = [x + "。" for x in c.replace("\n", "").split("。") if x][:5]
    write(f"{FIX}/crlf.txt", ("\r\n".join(sents[:4]) + "\r" + sents[4] + "\r\n").encode())
    # Spaced title: header of the website record (court, spaced type, case number), UTF-8.
    web = web_records()
    src = json.loads(web[1][1]["source"])
    write(f"{FIX}/spaced-title.txt", src["s2"] + "\n民 事 判 决 书\n" + src["s7"] + "\n" + src["s23"] + "\n")
    # Web records: sample2 whole (Html variant); sample3 without its long law lists (s-keys variant).
    write(f"{FIX}/web-html.json", json.dumps(web[0][1], ensure_ascii=False))
    s3 = dict(web[1][1])
    inner = json.loads(s3["source"])
    for key in ["s47", "s51", "relWenshu"]:
        inner.pop(key, None)
    s3["source"] = json.dumps(inner, ensure_ascii=False)
    write(f"{FIX}/web-skeys.json", json.dumps(s3, ensure_ascii=False))
    # HTML page: the website's HTML of sample2 in a page with head, script and style.
    html = json.loads(web[0][1]["source"])["Html"]
    k = html.find("<a type='dir' name='AJJBQK'>")
    write(f"{FIX}/page.html",
          '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + json.loads(web[0][1]["source"])["Title"]
          + "</title>\n<style>div { color: red; }</style>\n<script>var x = \"不应出现\";</script></head>\n<body>\n"
          + html[:k] + "\n<table><tr><td>审判员</td><td>张某</td></tr><tr><td>书记员</td><td>李某</td></tr></table>\n"
          + "</body></html>\n")
    # XML from a real judgment; and the same structure declared and encoded as GBK (with AA A5).
    j = judgment(722)
    body = j["text"]
    sentences = [s + "。" for s in body.split("。") if s][:6]
    def judgment_xml(enc, sents, extra=""):
        return (f'<?xml version="1.0" encoding="{enc}"?>\n<judgment>\n  <id>{j["id"]}</id>\n'
                f'  <title>{escape(j["doc_type_from_header"])}</title>\n  <court>{escape(j["court_from_header"])}</court>\n'
                f'  <case_number>{escape(j["case_no_from_header"])}</case_number>\n  <body>\n'
                + "".join(f"    <p>{escape(s)}</p>\n" for s in sents) + extra + "  </body>\n</judgment>\n")
    write(f"{FIX}/judgment.xml", judgment_xml("UTF-8", sentences))
    xml_gbk = judgment_xml("GBK", sentences[:3], "    <p>MARK</p>\n").encode("gbk")
    write(f"{FIX}/judgment-gbk.xml", xml_gbk.replace(b"MARK", "被告人".encode("gbk") + b"\xaa\xa5"))
    # Two judgments in one XML file, for the record XPath mapping.
    recs = [judgment(i) for i in (740, 90)]
    write(f"{FIX}/judgments-multi.xml",
          '<?xml version="1.0" encoding="UTF-8"?>\n<judgments>\n' + "".join(
              f'  <doc no="{r["id"]}">\n    <court>{escape(r["court_from_header"])}</court>\n'
              f'    <case>{escape(r["case_no_from_header"])}</case>\n    <text>{escape(cut(r["text"], 300))}</text>\n  </doc>\n'
              for r in recs) + "</judgments>\n")
    # DOCX from a real civil judgment: paragraphs, a table and a line break.
    civil = [p for p in jsonl("civil-loans/documents.jsonl")[1]["B"].split("\n") if p]
    write(f"{FIX}/judgment.docx",
          docx_bytes([cut(p, 400) for p in civil[:4]], table=[["原告", "王某1"], ["被告", "路某1"]],
                     title="民间借贷纠纷一审民事判决书", breaks_in=1))
    write(f"{FIX}/bad/missing-part.docx", zip_without_document())
    d = docx_bytes([civil[0]])
    write(f"{FIX}/bad/corrupt.docx", d[: len(d) // 2])
    # JSONL: 4 real theft sentences, one malformed line, one record without a text field.
    theft = [l for l in open(os.path.join(DATA, "cail2021-theft", "train.jsonl"), encoding="utf-8")][:4]
    civil_line = json.dumps({"A": jsonl("civil-loans/documents.jsonl")[2]["A"][:120]}, ensure_ascii=False)
    lines = [theft[0].strip(), theft[1].strip(), theft[2].strip()[:-30], theft[3].strip(), civil_line]
    write(f"{FIX}/records.jsonl", "\n".join(lines) + "\n")
    cj = jsonl("cjrc-casetype/train.jsonl")[:2]
    write(f"{FIX}/records.json", json.dumps([{k: r[k] for k in ("id", "text", "case_type", "cause_or_charge")}
                                              for r in cj], ensure_ascii=False, indent=1))
    # Bad inputs.
    write(f"{FIX}/bad/empty.txt", b"")
    junk = bytes((i * 197 + 13) % 256 for i in range(2048))
    write(f"{FIX}/bad/binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + junk)
    t = text.encode()
    write(f"{FIX}/bad/truncated-utf8.txt", t[:301] if (t[300] & 0xC0) == 0x80 else t[:302])
    write(f"{FIX}/bad/malformed.xml", judgment_xml("UTF-8", sentences[:3]).replace("</court>", "", 1))
    write(f"{FIX}/bad/xxe.xml",
          '<?xml version="1.0"?>\n<!DOCTYPE judgment [\n  <!ENTITY xxe SYSTEM "file:///etc/hostname">\n]>\n'
          f"<judgment><body><p>{escape(sentences[0])}</p><p>&xxe;</p></body></judgment>\n")
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10)]
    lol = [l.replace("&lol0;", "&lol;") for l in lol]
    write(f"{FIX}/bad/billion-laughs.xml",
          '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n  ' + "\n  ".join(lol) + "\n]>\n<lolz>&lol9;</lolz>\n")


def samples():
    out = os.path.join(ROOT, "samples", "documents")
    bad = os.path.join(ROOT, "samples", "bad")
    js = jsonl("judgments-fulltext/judgments.jsonl")
    by_id = {d["id"]: d for d in js}
    # Three full criminal judgments as plain text: UTF-8, UTF-8 with BOM and CRLF, GB18030.
    write(f"{out}/criminal-theft-619.txt", by_id[619]["text"] + "\n")
    write(f"{out}/criminal-668.crlf.txt", b"\xef\xbb\xbf" + (by_id[668]["text"].replace("。", "。\r\n")).encode())
    write(f"{out}/criminal-140.gb18030.txt", (by_id[140]["text"] + "\n").encode("gb18030"))
    write(f"{out}/criminal-drugs-750.utf16le.txt", b"\xff\xfe" + (by_id[750]["text"] + "\n").encode("utf-16-le"))
    write(f"{out}/criminal-fraud-90.big5.txt", big5(by_id[90]["text"]) + b"\n")
    # A short drug judgment (非法持有毒品) whose facts hold one possession event.
    write(f"{out}/criminal-drugs-799.txt", by_id[799]["text"] + "\n")
    # A full civil judgment (website record, both shapes) and the same as an HTML page.
    web = web_records()
    for name, rec in web:
        write(f"{out}/{name}", json.dumps(rec, ensure_ascii=False, indent=1))
    src = json.loads(web[0][1]["source"])
    write(f"{out}/civil-credit-card.html", '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + src["Title"]
          + "</title><script>var tracking = 1;</script></head><body>\n" + src["Html"] + "\n</body></html>\n")
    # A civil loan judgment as DOCX, and one as GBK-declared XML.
    civil = jsonl("civil-loans/documents.jsonl")
    paras = [p for p in civil[3]["C"].split("\n") if p]
    write(f"{out}/civil-loan.docx", docx_bytes(paras, table=[["原告", "被告"], ["陈某1", "楼某1"]],
                                               title="民间借贷纠纷民事判决书"))
    paras2 = [p for p in civil[4]["B"].split("\n") if p]
    write(f"{out}/civil-loan.gbk.xml", ('<?xml version="1.0" encoding="GBK"?>\n<judgment>\n  <title>民间借贷纠纷</title>\n  <body>\n'
                                        + "".join(f"    <p>{escape(p)}</p>\n" for p in paras2) + "  </body>\n</judgment>\n")
          .encode("gbk", errors="replace"))
    # Records: raw GB18030 CAIL2018 lines; CAIL2021 theft JSONL; CJRC JSON array.
    write(f"{out}/cail2018-facts.gb18030.jsonl", b"\n".join(gb18030_raw_lines(5)) + b"\n")
    theft = [l.strip() for l in open(os.path.join(DATA, "cail2021-theft", "train.jsonl"), encoding="utf-8")][:8]
    write(f"{out}/theft-sentences.jsonl", "\n".join(theft) + "\n")
    cj = jsonl("cjrc-casetype/train.jsonl")[:3]
    write(f"{out}/cjrc-passages.json", json.dumps(cj, ensure_ascii=False, indent=1))
    # The deliberately bad file: a judgment cut inside a UTF-8 character.
    t = by_id[722]["text"].encode()
    write(f"{bad}/truncated-judgment.txt", t[:301] if (t[300] & 0xC0) == 0x80 else t[:302])


if __name__ == "__main__":
    fixtures()
    if "--samples" in sys.argv:
        samples()
