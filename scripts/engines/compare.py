#!/usr/bin/env python3
"""Compares the records an engine wrote with those of a plain `wenshu run`, whole records, ids included.

usage: compare.py NAME --engine-results F... --engine-errors F... --plain-results F... --plain-errors F...
                  [--streamed]

Every result and error record must appear in both outputs exactly as often (a multiset of whole
records). With --streamed (the engine fed records through `wenshu filter`), each record's `source`
is compared by format and encoding only: through a pipe a record comes from standard input
(path "-", a line within its partition, the line's own sha256 and size) rather than from the file,
and that is the one thing allowed to differ, with an error's location.line (its line in the
stream) and attempts (the run's journal count; a stream has no journal) for the same reason. Lines may end in a tab (Hadoop Streaming's empty value).
Scores may differ by 1e-5 at most (float32 rounding changes with a record's batch neighbours);
everything else, ids, labels, spans and structure included, must be equal.
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


TOLERANCE = 1e-5


def view(rec, streamed):
    r = dict(rec)
    if streamed:
        s = r.get("source", {})
        # An error's source is nothing but where it was read (a run names no format for a line
        # that failed before it became a record); a result's keeps its format and encoding.
        if r.get("schema") == "wenshu.error/1":
            r.pop("source", None)
        else:
            r["source"] = {k: s[k] for k in ("format", "encoding") if k in s}
        # Where in the input an error was found (its line, like source.line) and the journal's
        # attempt count (filter keeps no journal) are the two other stream-vs-file differences.
        if isinstance(r.get("location"), dict):
            loc = {k: v for k, v in r["location"].items() if k != "line"}
            r["location"] = loc or None
            if not loc:
                del r["location"]
        r.pop("attempts", None)
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def split_floats(v, floats):
    """The value with every float replaced by a marker; the floats appended to `floats` in order."""
    if isinstance(v, float):
        floats.append(v)
        return "<float>"
    if isinstance(v, dict):
        return {k: split_floats(v[k], floats) for k in sorted(v)}
    if isinstance(v, list):
        return [split_floats(x, floats) for x in v]
    return v


def keyed(records, streamed):
    """Records grouped by everything but their float values (scores), each with its floats."""
    groups = collections.defaultdict(list)
    for r in records:
        floats = []
        shape = split_floats(json.loads(view(r, streamed)), floats)
        groups[json.dumps(shape, sort_keys=True, ensure_ascii=False)].append(floats)
    return groups


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
    # Whole records must agree exactly but for scores, which may differ in the last float32
    # digits: the encoder's matrix products round differently when a record shares its batch
    # with other records (another partitioning, another batch), so scores agree within TOLERANCE.
    ge, gp = keyed(eng, a.streamed), keyed(plain, a.streamed)
    ce = collections.Counter({k: len(v) for k, v in ge.items()})
    cp = collections.Counter({k: len(v) for k, v in gp.items()})
    worst = 0.0
    if ce == cp:
        for k in gp:
            for fe, fp in zip(sorted(ge[k]), sorted(gp[k])):
                worst = max([worst] + [abs(x - y) for x, y in zip(fe, fp)])
    if ce == cp and worst <= TOLERANCE:
        ids = sum(1 for r in plain if r.get("id"))
        print(f"OK: {a.name} wrote the same {len(plain)} whole records as the plain run ({ids} with ids, ids included; "
              f"largest score difference {worst:.1e})")
        return
    if ce == cp:
        print(f"MISMATCH: scores differ by up to {worst:.1e} (more than {TOLERANCE})")
        sys.exit(1)
    only_e, only_p = ce - cp, cp - ce
    print(f"MISMATCH: {sum(only_e.values())} {a.name} records not in the plain run, "
          f"{sum(only_p.values())} plain records not in {a.name}")
    for label, c in ((a.name, only_e), ("plain", only_p)):
        for v in list(c)[:3]:
            r = json.loads(v)  # scores shown as <float>
            print(f"  only in {label}: id={r.get('id')} schema={r.get('schema')} {v[:300]}")
    sys.exit(1)


if __name__ == "__main__":
    main()
