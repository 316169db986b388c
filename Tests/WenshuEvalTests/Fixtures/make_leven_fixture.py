#!/usr/bin/env python3
"""Builds leven-docs.jsonl, a small fixture in the official LEVEN/MAVEN document format,
from real sentences of ../shared/data/leven-lawbench/triggers.jsonl.

Tokenization (the LawBench sentences come untokenized): every trigger is one token; the
rest of the sentence is cut into runs of ASCII letters/digits (one token each) and runs of
other characters split into tokens of at most 2 characters. Mention offsets are then token
indices [start, end) into content[sent_id].tokens, as in the official format.
Three sentences make one document; the last document is written without "events", as in
the official test split. Usage: python3 make_leven_fixture.py SHARED_DATA_DIR > leven-docs.jsonl
"""
import json, sys

def tokenize(sentence, spans):
    cuts = sorted(spans)
    toks, pos, marks = [], 0, {}
    def plain(a, b):
        i = a
        while i < b:
            c = sentence[i]
            if c.isascii() and c.isalnum():
                j = i
                while j < b and sentence[j].isascii() and sentence[j].isalnum():
                    j += 1
            else:
                j = i + 1
                if j < b and not (sentence[j].isascii() and sentence[j].isalnum()):
                    j += 1
            toks.append(sentence[i:j]); i = j
    for s, e in cuts:
        if s < pos:
            continue
        plain(pos, s)
        marks[(s, e)] = len(toks)
        toks.append(sentence[s:e]); pos = e
    plain(pos, len(sentence))
    return toks, marks

def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data"
    rows = [json.loads(l) for l in open(f"{root}/leven-lawbench/triggers.jsonl", encoding="utf-8")]
    rows = [r for r in rows if len(r["sentence"]) <= 80][:9]
    for d in range(3):
        group = rows[3 * d:3 * d + 3]
        content, events = [], {}
        for sid, r in enumerate(group):
            types = r.get("trigger_types") or r["event_types"]
            spans = [tuple(o) for o in r["trigger_char_offsets"]]
            toks, marks = tokenize(r["sentence"], spans)
            assert "".join(toks) == r["sentence"]
            content.append({"sentence": r["sentence"], "tokens": toks})
            for (s, e), t, w in zip(spans, types, r["triggers"]):
                if (s, e) not in marks:
                    continue
                k = marks[(s, e)]
                events.setdefault(t, []).append({"id": f"m{d}-{sid}-{k}", "trigger_word": w, "sent_id": sid, "offset": [k, k + 1]})
        doc = {"id": f"leven-fixture-{d}", "title": "fixture", "crime": "", "case_no": "", "content": content}
        if d < 2:
            doc["events"] = [{"id": f"e{d}-{i}", "type": t, "type_id": i, "mention": m} for i, (t, m) in enumerate(sorted(events.items()))]
            doc["negative_triggers"] = []
        print(json.dumps(doc, ensure_ascii=False))

main()
