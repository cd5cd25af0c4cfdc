#!/usr/bin/env bash
# Issue 13's table (docs/async.md): synchronous FedAvg with over-selection against asynchronous FedBuff, on the
# simulated clock, one seeded run each: 1,000 clients (IID shards of 25 IMDB reviews), sessions on and off with
# exponential lengths of mean 2 minutes each (half the clients offline at any time), device throughputs log-uniform
# over a 10× spread below the measured tfjs-wasm figure (2,623 examples/s, `npm run bench -- --only
# training-throughput`), links of 20 Mbit/s down and 5 up, E = 5, B = 32, Adam lr 0.05, seed 0. Every run gets the
# same budget of 4,000 client updates, and test accuracy every 100 updates.
#   docs/research/async-table.sh          # runs what is missing, then prints the tables and writes the plot
# Environment: CHORUS_DATA (the IMDB archive; default ../shared/data/aclImdb_v1.tar.gz), OUT (default runs/async),
# HASH_BITS (default 18: 2^20 did not fit the time this machine had; docs/async.md), JOBS (runs at once; default 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CHORUS_DATA:-../shared/data/aclImdb_v1.tar.gz}
OUT=${OUT:-runs/async}
HASH_BITS=${HASH_BITS:-18}
JOBS=${JOBS:-3}
mkdir -p "$OUT"

COMMON="--data $DATA --clients 1000 --partition iid --hash-bits $HASH_BITS --seed 0 --local-epochs 5 --batch 32 --lr 0.05"
COMMON="$COMMON --on-minutes 2 --off-minutes 2 --speed-spread 10 --max-hours 24"
declare -A RUN=(
  # K = 20 of 1,000 per round (26 asked), 200 rounds; K = 100 (130 asked), 40 rounds.
  [sync-k20]="--mode sync --fraction 0.02 --over-select 0.3 --rounds 200 --eval-every 5"
  [sync-k100]="--mode sync --fraction 0.1 --over-select 0.3 --rounds 40 --eval-every 1"
  # 100 clients at work at once, a version every 20 updates, refused beyond 20 versions behind; 200 versions.
  [async-k20-c100]="--mode async --buffer-size 20 --concurrency 100 --max-staleness 20 --rounds 200 --eval-every 5"
)
NAMES="sync-k20 sync-k100 async-k20-c100"

jobs_file=$(mktemp)
for name in $NAMES; do
  [ -f "$OUT/$name/summary.json" ] && continue
  echo "node bin/chorus.js simulate $COMMON ${RUN[$name]} --out $OUT/$name > $OUT/$name.log 2>&1" >> "$jobs_file"
done
if [ -s "$jobs_file" ]; then
  tr '\n' '\0' < "$jobs_file" | xargs -0 -P "$JOBS" -I{} bash -c "{}"
fi
rm -f "$jobs_file"
dirs=$(for name in $NAMES; do echo "$OUT/$name"; done)
# shellcheck disable=SC2086
node bin/chorus.js compare $dirs --x time --out "$OUT/accuracy-time.svg" --title 'IMDB, 1,000 clients with churn: test accuracy against simulated time'
