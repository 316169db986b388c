#!/usr/bin/env python3
"""Writes the benchmark sentences as JSONL {"id", "text"}: every CAIL2021 theft context and the
CAIL2022 drug passages cut at 。；！？ (real legal sentences, 6 to 300 characters).

    python3 make_input.py DATA_DIR OUT.jsonl
"""
import json
import re
import sys

data, out = sys.argv[1], sys.argv[2]
rows = []
for line in open(f"{data}/cail2021-theft/train.jsonl", encoding="utf-8"):
    rows.append(json.loads(line)["context"])
for line in open(f"{data}/cail2022-drugs/train.jsonl", encoding="utf-8"):
    rows += re.findall(r"[^。；！？]+[。；！？]?", json.loads(line)["sentText"])
rows = [r for r in rows if 6 <= len(r) <= 300]
with open(out, "w", encoding="utf-8") as f:
    for i, r in enumerate(rows):
        f.write(json.dumps({"id": str(i), "text": r}, ensure_ascii=False) + "\n")
print(f"{len(rows)} sentences, {sum(map(len, rows))} characters", file=sys.stderr)
