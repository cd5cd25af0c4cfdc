#!/usr/bin/env bash
# Issue 12's codec table (docs/codecs.md): every uplink codec on the research setup of docs/research/README.md (a)
# (100 clients, 10 % per round, Dirichlet α = 0.5, 30 rounds, E = 5, B = 32, Adam lr 0.05, logit adjustment τ = 2,
# seed 0, 2^20 buckets), the same seed for every codec, so the runs differ only by what the codec does to the updates.
#   docs/research/codec-table.sh            # runs what is missing, then prints the table (markdown) on stdout
# Environment: CHORUS_DATA (the IMDB archive; default ../shared/data/aclImdb_v1.tar.gz), OUT (default runs/codecs),
# JOBS (simulations at once; default 2), ROUNDS (default 30), CODECS (default: all six), TABLE_ROUNDS (read every run
# up to this round only; default ROUNDS). Unfinished runs compare at a round all have reached with
# `npx tsx bench/codec-table.ts --rounds 12 runs/codecs/float32 runs/codecs/top-k …` while they go on.
# A run whose summary.json exists is skipped, so an interrupted table resumes.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CHORUS_DATA:-../shared/data/aclImdb_v1.tar.gz}
OUT=${OUT:-runs/codecs}
JOBS=${JOBS:-2}
ROUNDS=${ROUNDS:-30}
CODECS=${CODECS:-"float32 row-sparse row-sparse-int8 top-k int8 float16"}
mkdir -p "$OUT"

run_one() {
  local codec=$1
  [ -f "$OUT/$codec/summary.json" ] && return 0
  echo "== $codec" >&2
  node bin/chorus.js simulate --data "$DATA" --clients 100 --fraction 0.1 --rounds "$ROUNDS" --partition dirichlet \
    --alpha 0.5 --local-epochs 5 --batch 32 --lr 0.05 --logit-adjust 2 --seed 0 --codec "$codec" --out "$OUT/$codec" \
    >"$OUT/$codec.log" 2>&1 || { echo "!! $codec failed: see $OUT/$codec.log" >&2; return 1; }
}
export -f run_one
export DATA OUT ROUNDS
# shellcheck disable=SC2086  # one codec a word
printf '%s\n' $CODECS | xargs -r -P "$JOBS" -I{} bash -c 'run_one "$@"' _ {}

# shellcheck disable=SC2086
npx tsx bench/codec-table.ts --rounds "${TABLE_ROUNDS:-$ROUNDS}" $(for c in $CODECS; do printf '%s ' "$OUT/$c"; done)
