#!/usr/bin/env bash
# Heads on a frozen real Transformer (issue 10, item 6): trains the theft and drugs heads on
# m3e-small (a 4-layer, 512-wide Chinese RoBERTa in BERT layout; research-only licence: it is
# downloaded outside the checkout by real_checkpoint_check.py and never committed) with the encoder's output
# cached on disk, then scores them on the dev splits with `wenshu eval`, to set beside the
# default bundle's figures (models/default/MODEL_CARD.md).
#
# Usage (repository root, release build): python3 Benchmarks/transformer/real_checkpoint_check.py  # once: download + convert
#                                         bash Benchmarks/transformer/real_checkpoint_heads.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${WENSHU_RESEARCH_CACHE:-$HOME/.cache/wenshu-research}/m3e
DATA=${WENSHU_DATA:-../shared/data}
W=.build/release/wenshu
[ -f "$R/m3e-small/model.safetensors" ] || { echo "no m3e-small in $R: run python3 Benchmarks/transformer/real_checkpoint_check.py first" >&2; exit 1; }
case "$(cd "$R" && pwd)" in "$(pwd)"/*) echo "the research cache must lie outside the checkout" >&2; exit 1;; esac
export OPENBLAS_NUM_THREADS=${THREADS:-2}
for t in "theft cail2021-theft cail2021-theft/train.jsonl" "drugs cail2022-drugs cail2022-drugs/train.jsonl"; do
  set -- $t
  rm -rf "$R/bundle-$1"
  "$W" train --format "$2" --task "$1" --kind event_extractor "$DATA/$3" --new-bundle "$R/bundle-$1" \
      --transformer "$R/m3e-small" --feature-cache "$R/features" --threads "${THREADS:-2}" --epochs 10 --patience 3 \
      --seed 1 --report "$R/$1.train.json"
  "$W" eval --bundle "$R/bundle-$1" --head "$1" --format "$2" "$DATA/$3" --split dev --json "$R/$1.eval.json"
done
