#!/usr/bin/env bash
# Refits one classifier head of a scratch copy of models/default on the frozen encoder and scores it on dev.
# usage: Benchmarks/peers/refit-classifier.sh TAG charge|cause|case_type BUCKETS [wenshu train flags...]
# e.g.   Benchmarks/peers/refit-classifier.sh k13 cause 32768 --linear-svm --ngram-max 3 --document-weight 0.3 --svm-c 4
set -uo pipefail
cd "$(dirname "$0")/../.."
W=${W:-.build/release/wenshu}
D=${WENSHU_DATA:-../shared/data}
TAG=$1; TASK=$2; B=$3; shift 3
S=${TMPDIR:-/tmp}/wenshu-refit-$TAG
rm -rf $S; cp -r models/default $S
case $TASK in
  charge) F=(--format cail2018 --task charge --kind multi_label $D/cail2018-charges/train.jsonl); E=(--format cail2018 $D/cail2018-charges/train.jsonl);;
  cause) F=(--format cjrc --task cause --kind single_label --cjrc-label cause_or_charge $D/cjrc-casetype/train.jsonl); E=(--format cjrc --cjrc-label cause_or_charge $D/cjrc-casetype/train.jsonl);;
  case_type) F=(--format cjrc --task case_type --kind single_label --cjrc-label case_type $D/cjrc-casetype/train.jsonl); E=(--format cjrc --cjrc-label case_type $D/cjrc-casetype/train.jsonl);;
esac
echo "== $TAG: wenshu train ${F[*]} --bundle $S --seed 1 --threads 2 --sparse-buckets $B $*"
/usr/bin/time -f "train wall %e s" $W train "${F[@]}" --bundle $S --seed 1 --threads 2 --sparse-buckets $B "$@" 2>&1 | grep -v "epoch"
$W eval --bundle $S --head $TASK "${E[@]}" --split dev --json "$S.eval.json"
ls -la $S/head-$TASK.safetensors | awk '{print "head file bytes", $5}'
