#!/usr/bin/env python3
"""Writes the charge head's training set: CAIL2018 facts plus the criminal passages of CJRC,
in Wenshu's generic labelled format ({"id", "text", "labels"}), one JSON object per line.

Why: the 4,028 CAIL2018 facts in ../shared/data cover 129 charges very unevenly (679 drug cases,
none of 失火, 挪用公款 or 组织、领导传销活动, 1 of 聚众斗殴), so the charge head trained on them alone
names the title charge of only 31% of 180 real judgments. CJRC's 805 criminal passages carry 137
charges, more evenly spread (`cause_or_charge`, e.g. 故意伤害罪); their names become CAIL's
(`cail_names`: several charges split, the trailing 罪 dropped, variants and choices of selective
charges mapped to accu.txt's names).

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

# CAIL2018's 202 charge names (accu.txt, brackets stripped): CJRC's names are mapped onto them.
ACCU = [clean(l) for l in open(f"{data}/cail2018-charges/accu.txt", encoding="utf-8") if l.strip()]

def fits(name, label):
    """Whether `name` is one choice of the selective charge `label` (贩卖毒品 of 走私、贩卖、运输、
    制造毒品; 非法持有枪支 of 非法持有、私藏枪支、弹药): the rule of Wenshu's ChargeNameMatcher."""
    n, l = name.split("、"), label.split("、")
    def place(i, nxt):
        if i == len(n):
            return True
        part = n[i]
        for a in range(nxt, len(l)):
            if part == l[a] and place(i + 1, a + 1):
                return True
            for cut in range(min(len(l[a]), len(part) - 1), 1, -1):
                if part[:cut] == l[a][:cut]:
                    tail = part[cut:]
                    for b in range(a + 1, len(l)):
                        if len(l[b]) >= len(tail) and l[b].endswith(tail) and place(i + 1, b + 1):
                            return True
            if i > 0 and len(part) >= 2 and len(l[a]) > len(part) and l[a].endswith(part) and place(i + 1, a + 1):
                return True
        return False
    return place(0, 0)

def cail_names(raw):
    """CJRC's cause_or_charge as CAIL2018 charge names: several charges (盗窃罪、抢夺) split, the
    final 罪 dropped, a name written without CAIL's 、 (生产、销售有毒有害食品) or as one choice of a
    selective charge (贩卖毒品, 骗取贷款) given CAIL's name; other names kept as written."""
    out = []
    for part in clean(raw).split("罪、"):
        c = part[:-1] if part.endswith("罪") else part
        if not c:
            continue
        if c not in ACCU:
            same = [a for a in ACCU if a.replace("、", "") == c.replace("、", "")]
            choice = sorted((a for a in ACCU if "、" in a and fits(c, a)), key=len)
            c = same[0] if same else choice[0] if choice else c
        if c not in out:
            out.append(c)
    return out

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
        rid = str(r["id"]) if r.get("id") is not None else f"cjrc-{line_no}"
        out.write(json.dumps({"id": rid, "text": r["text"], "labels": cail_names(r["cause_or_charge"])}, ensure_ascii=False) + "\n")
        n_cjrc += 1
print(f"charge training set: {n_cail} CAIL2018 facts + {n_cjrc} CJRC criminal passages", file=sys.stderr)
