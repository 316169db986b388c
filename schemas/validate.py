#!/usr/bin/env python3
"""Validate JSON lines against Wenshu's schemas.

usage: python3 schemas/validate.py FILE.jsonl...   (each line picks its schema by its "schema" field)
Exit status 0 when every line is valid; 1 otherwise, with one message per bad line on stderr.
Needs the `jsonschema` package (pip install jsonschema).
"""
import json, os, sys
import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = {
    "wenshu.result/1": "wenshu.result.v1.schema.json",
    "wenshu.error/1": "wenshu.error.v1.schema.json",
    "wenshu.duplicate/1": "wenshu.duplicate.v1.schema.json",
}

def main(paths):
    validators = {}
    for name, f in SCHEMAS.items():
        with open(os.path.join(HERE, f), encoding="utf-8") as fh:
            schema = json.load(fh)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[name] = jsonschema.Draft202012Validator(schema)
    bad = 0
    total = 0
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    print(f"{p}:{n}: empty line", file=sys.stderr); bad += 1; continue
                total += 1
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    print(f"{p}:{n}: not JSON: {e}", file=sys.stderr); bad += 1; continue
                v = validators.get(obj.get("schema") if isinstance(obj, dict) else None)
                if v is None:
                    print(f"{p}:{n}: unknown schema {obj.get('schema') if isinstance(obj, dict) else obj!r}", file=sys.stderr)
                    bad += 1; continue
                errs = sorted(v.iter_errors(obj), key=lambda e: list(e.path))
                for e in errs[:3]:
                    print(f"{p}:{n}: {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
                if errs:
                    bad += 1
    print(f"{total} lines, {bad} invalid", file=sys.stderr)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
