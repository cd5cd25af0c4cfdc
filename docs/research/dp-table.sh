#!/usr/bin/env bash
# Issue 11's privacy table: test accuracy against ε ∈ {1, 4, 8} at δ = 1e-5 on 1,000 simulated clients (the 25,000
# IMDB training reviews dealt IID, 25 each), beside the same run without privacy, for central noise (the server
# adds it) and distributed noise (each client adds its share before upload). Poisson sampling at q = 0.1 (~100
# clients a round) for ROUNDS rounds; z for each ε is what `chorus privacy --target-epsilon` finds for q and the
# rounds, so every private run spends at most its ε by its last round. Fixed clip norm C (CLIP; the non-private
# run's median update norm is printed in its rounds.jsonl as bound.acceptedNormMedian).
#   docs/research/dp-table.sh            # runs what is missing, then prints the table (markdown) on stdout
# Environment: CHORUS_DATA (the IMDB archive; default ../shared/data/aclImdb_v1.tar.gz), OUT (default runs/dp),
# JOBS (simulations at once; default 1), HASH_BITS (default 20), ROUNDS (default 30), CLIP (default 10),
# LOCAL (local-training flags; default "--local-epochs 5 --batch 32 --lr 0.05").
# A run whose summary.json exists is skipped, so an interrupted table resumes.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CHORUS_DATA:-../shared/data/aclImdb_v1.tar.gz}
OUT=${OUT:-runs/dp}
JOBS=${JOBS:-1}
HASH_BITS=${HASH_BITS:-20}
ROUNDS=${ROUNDS:-30}
CLIP=${CLIP:-10}
LOCAL=${LOCAL:---local-epochs 5 --batch 32 --lr 0.05}
Q=0.1
mkdir -p "$OUT"

jobs_file=$(mktemp)
add_job() {
  [ -f "$OUT/$1/summary.json" ] || echo "$1|$2" >>"$jobs_file"
}
add_job none ""
for epsilon in 8 4 1; do
  z=$(node bin/chorus.js privacy --target-epsilon "$epsilon" --sampling-rate "$Q" --rounds "$ROUNDS" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).noiseMultiplier))')
  for mode in central distributed; do
    add_job "$mode-eps$epsilon" "--dp $mode --dp-noise-multiplier $z --dp-clip $CLIP"
  done
done

run_one() {
  local name=${1%%|*} flags=${1#*|}
  echo "== $name ($flags)" >&2
  # shellcheck disable=SC2086  # flags are words on purpose
  node bin/chorus.js simulate --data "$DATA" --clients 1000 --fraction "$Q" --rounds "$ROUNDS" --partition iid \
    $LOCAL --seed 0 --hash-bits "$HASH_BITS" $flags --out "$OUT/$name" >"$OUT/$name.log" 2>&1 \
    || { echo "!! $name failed: see $OUT/$name.log" >&2; return 1; }
}
export -f run_one
export DATA OUT HASH_BITS ROUNDS LOCAL Q
xargs -d '\n' -r -P "$JOBS" -I{} bash -c 'run_one "$@"' _ {} <"$jobs_file"
rm -f "$jobs_file"

node bin/chorus.js compare "$OUT/none" "$OUT"/central-eps{8,4,1} --out docs/images/dp-central.svg --title "Test accuracy, 1,000 clients, central DP (ε 8 / 4 / 1)" >/dev/null
node bin/chorus.js compare "$OUT/none" "$OUT"/distributed-eps{8,4,1} --out docs/images/dp-distributed.svg --title "Test accuracy, 1,000 clients, distributed DP (ε 8 / 4 / 1)" >/dev/null
npx tsx bench/dp-table.ts "$OUT"
