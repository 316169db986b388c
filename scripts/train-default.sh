#!/usr/bin/env bash
# Trains the embedded default bundle models/default from ../shared/data (release build),
# one head after another, then scores every head on its held-out dev split with `wenshu eval`.
#
# Split: every file is cut deterministically (dev when fnv1a64(id) % 10 == 0); training never
# sees the dev examples, which serve for early stopping and for the metrics in MODEL_CARD.md.
# The first head (charge, the largest set) trains the shared encoder with it; the later heads
# are trained on the frozen encoder (so the bundle's heads all share one fingerprint).
#
# Environment: WENSHU_DATA (default ../shared/data), THREADS (default 2), EPOCHS (optional cap),
# FROM=<head> resumes an interrupted run at that head (models/default.new must hold the earlier ones).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${WENSHU_DATA:-../shared/data}
THREADS=${THREADS:-2}
OUT=models/default
REPORTS=models/reports
[ -d "$DATA" ] || { echo "no data at $DATA (set WENSHU_DATA)" >&2; exit 1; }

swift build -c release --product wenshu
W=.build/release/wenshu
EP=()
[ -n "${EPOCHS:-}" ] && EP=(--epochs "$EPOCHS")

[ -z "${FROM:-}" ] && rm -rf "$OUT.new"
mkdir -p "$REPORTS"
skipping=${FROM:+yes}
train() { # head kind format file [extra...]
  local head=$1 kind=$2 fmt=$3 file=$4; shift 4
  if [ "${skipping:-}" = yes ]; then
    [ "$head" = "$FROM" ] && skipping= || { echo "== skip $head (resuming at $FROM)" >&2; return; }
  fi
  local target=(--bundle "$OUT.new")
  [ -f "$OUT.new/manifest.json" ] || target=(--new-bundle "$OUT.new")
  echo "== train $head" >&2
  "$W" train --format "$fmt" --task "$head" --kind "$kind" "$DATA/$file" "${target[@]}" \
      --seed 1 --threads "$THREADS" "${EP[@]}" --report "$REPORTS/$head.train.json" "$@"
}
train charge    multi_label     cail2018       cail2018-charges/train.jsonl
train case_type single_label    cjrc           cjrc-casetype/train.jsonl --cjrc-label case_type
train cause     single_label    cjrc           cjrc-casetype/train.jsonl --cjrc-label cause_or_charge
train theft     event_extractor cail2021-theft cail2021-theft/train.jsonl
train drugs     event_extractor cail2022-drugs cail2022-drugs/train.jsonl
train leven     event_extractor leven-lawbench leven-lawbench/triggers.jsonl

rm -rf "$OUT"; mv "$OUT.new" "$OUT"
du -sh "$OUT"

evaluate() { # head format file [extra...]
  local head=$1 fmt=$2 file=$3; shift 3
  "$W" eval --bundle "$OUT" --head "$head" --format "$fmt" "$DATA/$file" --split dev \
      --json "$REPORTS/$head.eval.json" --html "$REPORTS/$head.eval.html" "$@"
}
evaluate charge    cail2018       cail2018-charges/train.jsonl
evaluate case_type cjrc           cjrc-casetype/train.jsonl --cjrc-label case_type
evaluate cause     cjrc           cjrc-casetype/train.jsonl --cjrc-label cause_or_charge
evaluate theft     cail2021-theft cail2021-theft/train.jsonl
evaluate drugs     cail2022-drugs cail2022-drugs/train.jsonl
evaluate leven     leven-lawbench leven-lawbench/triggers.jsonl
