#!/usr/bin/env bash
# Writes the JSONL input the engine checks share to $1: every UTF-8 JSONL record under samples/
# (engines read text as UTF-8, so the GB18030 sample is left out) and the pipeline test fixtures'
# judgments; records with and without ids of their own. Run from the repository root.
set -euo pipefail
out="$1"
: > "$out"
for f in $(find samples -name '*.jsonl' -type f | sort) Tests/WenshuPipelineTests/Fixtures/corpus/judgments.jsonl; do
  if iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1; then cat "$f" >> "$out"; fi
done
echo "input: $(grep -c . "$out") records ($(grep -vc '"id"' "$out") without an id field)"
