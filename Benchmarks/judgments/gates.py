#!/usr/bin/env python3
"""Checks the nightly pipeline's heads on the 264 full-text judgments against each judgment's own
title (the charge named before 一审/二审…判决书), as issue 9 asks:

  - charge agreement: the charge head's top label equals a charge named in the title, over the
    judgments whose title names a charge that is in the head's label set; split by where the top
    label came from: named by the judgment's body (`evidence`, pipeline key named_labels; never
    read from the title) or predicted by the model;
  - theft events on judgments whose title charge is not theft, drug events on judgments whose title
    names no drug charge (both should be zero with gates on).

Usage (repository root):
  wenshu run pipelines/nightly-criminal.yaml --input ../shared/data/judgments-fulltext/judgments.jsonl \
      -o out/judgments/results.jsonl --fresh
  python3 Benchmarks/judgments/gates.py out/judgments/results.jsonl [models/default/manifest.json] [judgments.jsonl]
"""
import json, re, sys

results = sys.argv[1]
manifest = sys.argv[2] if len(sys.argv) > 2 else "models/default/manifest.json"
source = sys.argv[3] if len(sys.argv) > 3 else "../shared/data/judgments-fulltext/judgments.jsonl"

labels = next(h["labels"] for h in json.load(open(manifest))["heads"] if h["name"] == "charge")
texts = {}
for line in open(source, encoding="utf-8"):
    d = json.loads(line)
    texts[str(d["id"])] = d["text"]

def title_charges(text):
    m = re.search(r"(一审|二审|再审)?刑事(判决|裁定)书", text[:200])
    head = text[: m.start()] if m else text[:60]
    found = [l for l in labels if l in head]
    # keep the longest names (盗窃 inside 盗窃、抢夺枪支… is not a second charge)
    return {l for l in found if not any(l != o and l in o for o in found)}

DRUG = {l for l in labels if "毒" in l and "有毒、有害" not in l}  # not 生产、销售有毒、有害食品
n = agree = in_set = 0
named_top = named_agree = predicted_top = predicted_agree = 0
theft_bad = drug_bad = theft_runs = drug_runs = 0
skipped = {}
for line in open(results, encoding="utf-8"):
    r = json.loads(line)
    rid = r["id"].split("#")[-1] if r["id"] not in texts else r["id"]
    text = texts.get(rid) or texts.get(str(r.get("metadata", {}).get("id", "")))
    if text is None:
        continue
    n += 1
    gold = title_charges(text)
    top = None
    named = False
    for c in r.get("classifications", []):
        if c["task"] == "charge" and c["labels"]:
            best = max(c["labels"], key=lambda x: x["score"])
            top, named = best["label"], "evidence" in best
    if gold:
        in_set += 1
        agree += top in gold
        if named:
            named_top += 1
            named_agree += top in gold
        else:
            predicted_top += 1
            predicted_agree += top in gold
    events = r.get("events", [])
    if any(e["task"] == "theft" for e in events):
        theft_runs += 1
        theft_bad += "盗窃" not in gold
    if any(e["task"] == "drugs" for e in events):
        drug_runs += 1
        drug_bad += not (gold & DRUG)
    for h in (r.get("model") or {}).get("skipped", {}):
        skipped[h] = skipped.get(h, 0) + 1

print(f"judgments read: {n}")
print(f"charge named in the title and in the head's label set: {in_set}")
print(f"charge head's top label agrees with the title: {agree}/{in_set} = {agree / max(1, in_set):.3f}")
print(f"  top label named by the judgment's body: {named_agree}/{named_top}; predicted by the model: {predicted_agree}/{predicted_top}")
print(f"judgments with a theft event: {theft_runs}, of which the title charge is not theft: {theft_bad}")
print(f"judgments with a drug event: {drug_runs}, of which the title names no drug charge: {drug_bad}")
print(f"heads skipped by gates (documents): {json.dumps(skipped, ensure_ascii=False, sort_keys=True)}")
