#!/usr/bin/env python3
"""Compares the records an engine wrote with those of a plain `wenshu run`, whole records, ids included.

usage: compare.py NAME --engine-results F... --engine-errors F... --plain-results F... --plain-errors F...
                  [--streamed]

Every result and error record must appear in both outputs exactly as often (a multiset of whole
records). With --streamed (the engine fed records through `wenshu filter`), each record's `source`
is compared by format and encoding only: through a pipe a record comes from standard input
(path "-", a line within its partition, the line's own sha256 and size) rather than from the file,
and that is the one thing allowed to differ. Lines may end in a tab (Hadoop Streaming's empty value).
Exits 1 and names the differing records on a mismatch.
"""
import argparse
import collections
import json
import sys


def load(paths):
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n").rstrip("\t")
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError as e:
                        sys.exit(f"{p}:{n}: not JSON: {e}: {line[:120]}")
    return out


def view(rec, streamed):
    r = dict(rec)
    if streamed:
        s = r.get("source", {})
        r["source"] = {k: s[k] for k in ("format", "encoding") if k in s}
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--engine-results", nargs="*", default=[])
    ap.add_argument("--engine-errors", nargs="*", default=[])
    ap.add_argument("--plain-results", nargs="*", default=[])
    ap.add_argument("--plain-errors", nargs="*", default=[])
    ap.add_argument("--streamed", action="store_true")
    a = ap.parse_args()
    eng = load(a.engine_results) + load(a.engine_errors)
    plain = load(a.plain_results) + load(a.plain_errors)
    kinds = lambda rs, s: sum(1 for r in rs if r.get("schema") == s)
    print(f"{a.name}: {kinds(eng, 'wenshu.result/1')} results, {kinds(eng, 'wenshu.error/1')} errors; "
          f"plain run: {kinds(plain, 'wenshu.result/1')} results, {kinds(plain, 'wenshu.error/1')} errors")
    if not plain:
        sys.exit(f"MISMATCH: the plain run wrote nothing")
    ce = collections.Counter(view(r, a.streamed) for r in eng)
    cp = collections.Counter(view(r, a.streamed) for r in plain)
    if ce == cp:
        ids = sum(1 for r in plain if r.get("id"))
        print(f"OK: {a.name} wrote the same {len(plain)} whole records as the plain run ({ids} with ids, ids included)")
        return
    only_e, only_p = ce - cp, cp - ce
    print(f"MISMATCH: {sum(only_e.values())} {a.name} records not in the plain run, "
          f"{sum(only_p.values())} plain records not in {a.name}")
    for label, c in ((a.name, only_e), ("plain", only_p)):
        for v in list(c)[:3]:
            r = json.loads(v)
            print(f"  only in {label}: id={r.get('id')} schema={r.get('schema')} {v[:300]}")
    sys.exit(1)


if __name__ == "__main__":
    main()
