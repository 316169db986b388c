#!/usr/bin/env python3
"""Writes the charge head's training set: CAIL2018 facts plus the criminal passages of CJRC,
in Wenshu's generic labelled format ({"id", "text", "labels"}), one JSON object per line.

Why: the 4,028 CAIL2018 facts in ../shared/data cover 129 charges very unevenly (679 drug cases,
none of 失火, 挪用公款 or 组织、领导传销活动, 1 of 聚众斗殴), so the charge head trained on them alone
names the title charge of only 31% of 180 real judgments. CJRC's 805 criminal passages carry 137
charges, more evenly spread (`cause_or_charge`, e.g. 故意伤害罪); their names are CAIL's once the
trailing 罪 is dropped.

Ids are the ones Wenshu's readers give (CAIL2018: `cail2018-<line>`; CJRC: the record's id), so
the deterministic dev split (fnv1a64(id) % 10 == 0) holds out exactly the examples it holds out
when each file is read alone: CAIL2018's dev split stays comparable with earlier figures, and no
CJRC dev passage (the cause head's dev split) is trained on.

Usage: python3 scripts/data/charge-training-set.py [DATA] > charges.jsonl   (DATA: ../shared/data)
"""
import json, sys

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"

def clean(name):
    return name.replace("[", "").replace("]", "").strip()

out = sys.stdout
n_cail = n_cjrc = 0
with open(f"{data}/cail2018-charges/train.jsonl", encoding="utf-8") as f:
    for line_no, line in enumerate(f, 1):
        if not line.strip():
            continue
        r = json.loads(line)
        labels = []
        for a in r["meta"]["accusation"]:
            a = clean(a)
            if a and a not in labels:
                labels.append(a)
        rid = str(r["id"]) if r.get("id") is not None else f"cail2018-{line_no}"
        out.write(json.dumps({"id": rid, "text": r["fact"], "labels": labels}, ensure_ascii=False) + "\n")
        n_cail += 1
with open(f"{data}/cjrc-casetype/train.jsonl", encoding="utf-8") as f:
    for line_no, line in enumerate(f, 1):
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("case_type") != "刑事" or not r.get("cause_or_charge"):
            continue
        charge = clean(r["cause_or_charge"])
        if charge.endswith("罪"):
            charge = charge[:-1]
        rid = str(r["id"]) if r.get("id") is not None else f"cjrc-{line_no}"
        out.write(json.dumps({"id": rid, "text": r["text"], "labels": [charge]}, ensure_ascii=False) + "\n")
        n_cjrc += 1
print(f"charge training set: {n_cail} CAIL2018 facts + {n_cjrc} CJRC criminal passages", file=sys.stderr)
