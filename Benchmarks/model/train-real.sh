#!/usr/bin/env bash
# Usage: Benchmarks/model/train-real.sh TASK   (theft-spans | theft-events | charges | drugs-entities | drugs-events)
# Environment: DIM BUCKETS HIDDEN CONTEXT WINDOW EPOCHS LR THREADS BATCH SCHEME MAXLEN THRESHOLD DROPOUT PATIENCE SEED SAVE=folder
# Builds WenshuModel in release, links this benchmark against it, trains on a seeded 90/10
# split of ../shared/data and prints dev metrics, wall/CPU time and inference speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --target WenshuModel >/dev/null
B=.build/release
mkdir -p "$B/bench"
swiftc -O -module-name TrainReal Benchmarks/model/train_real.swift -I "$B/Modules" -I Sources/COpenBLAS \
  "$B"/WenshuModel.build/*.o "$B"/WenshuTensor.build/*.o "$B"/WenshuCore.build/*.o -lopenblas -o "$B/bench/train-real.new" && mv -f "$B/bench/train-real.new" "$B/bench/train-real" 2>&1 | grep -v warning || true
[ -n "${BUILD_ONLY:-}" ] && exit 0
exec "$B/bench/train-real" "${DATA:-$( [ -d ../shared/data ] && echo ../shared/data || echo /work/shared/data )}" "$@"
