#!/usr/bin/env bash
# Issue 10's attack table: every defence under every attack, on the research setup of docs/research/README.md
# (100 clients, 10 % per round, Dirichlet α = 0.5, 30 rounds, E = 5, B = 32, Adam lr 0.05, logit adjustment τ = 2,
# seed 0), 20 attackers. τ = 2 because without it plain FedAvg's accuracy swings by ±5 points from round to round with
# the label mix of its ten clients (docs/research/README.md), which would drown the attacks' effect.
#   docs/research/attack-table.sh            # runs what is missing, then prints the table (markdown) on stdout
# Environment: CHORUS_DATA (the IMDB archive; default ../shared/data/aclImdb_v1.tar.gz), OUT (default runs/attacks),
# JOBS (simulations at once; default 2), HASH_BITS (log2 of the model's buckets; default 20, the research setup's),
# ROUNDS (default 30; the table reads the first ROUNDS rounds of each run, so longer runs already made are reused),
# SEED (default 0: the attackers, the partition, the samples; give each seed its own OUT).
# ATTACKS and DEFENCES (space-separated) narrow the table to those rows and columns (e.g. DEFENCES="fedavg zeno"), and
# PLOTS=0 leaves docs/images alone (a narrowed table would redraw the plots with its columns only).
# A run whose summary.json exists is skipped, so an interrupted table resumes. Runs go in order of importance: the
# clean run, then the default settings under attack, then the other defences under attack, then FedAvg without
# bounds under attack, then each other defence without attackers. 48 runs in all.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CHORUS_DATA:-../shared/data/aclImdb_v1.tar.gz}
OUT=${OUT:-runs/attacks}
JOBS=${JOBS:-2}
HASH_BITS=${HASH_BITS:-20}
ROUNDS=${ROUNDS:-30}
SEED=${SEED:-0}
mkdir -p "$OUT"

# Defences (columns). The robust aggregators' parameters are set for 20 % attackers among the ~10 clients of a round:
# trimmed mean drops 2 of 10 at each end (β 0.2), multi-Krum tolerates f = 2 and averages the 8 it keeps.
# `fedavg-unbounded` is FedAvg with both bounds off (what Chorus did before issue 10); `fedavg-norm-bound` has the
# adaptive norm bound only (the default before the step bound); `fedavg` is `chorus serve`'s default (FedAvg,
# weighted mean, adaptive norm bound and step bound). The robust aggregators run behind the norm bound only, as in
# the table's first version: with the step bound too, every ×10 attacker update is refused before any aggregator
# sees it (the fedavg column), and a robust aggregator would add only its cost on the clean run. `zeno` is the default
# settings plus the validation filter (strategies/validation-filter.ts): 500 training reviews held out as the server's
# labelled set, the 2 lowest-scoring of each round's updates dropped (b = 2, as Krum's f).
declare -A DEFENCE=(
  [fedavg-unbounded]="--update-bound off --step-bound off"
  [fedavg-norm-bound]="--step-bound off"
  [fedavg]=""
  [median]="--step-bound off --aggregator median"
  [trimmed-mean]="--step-bound off --aggregator trimmed-mean --trim-beta 0.2"
  [krum]="--step-bound off --aggregator krum --krum-f 2"
  [centered-clip]="--step-bound off --aggregator centered-clip"
  [zeno]="--validation-filter zeno --validation-examples 500 --zeno-drop 2"
)
DEFENCES=${DEFENCES:-"fedavg-unbounded fedavg-norm-bound fedavg median trimmed-mean krum centered-clip zeno"}
ATTACKS=${ATTACKS:-"none sign-flip gaussian constant label-flip scaled"}
PLOTS=${PLOTS:-1}

jobs_file=$(mktemp)
has() { [[ " $1 " == *" $2 "* ]]; }
add_job() {
  local attack=$1 defence=$2 name="$1--$2" attack_flags=""
  has "$ATTACKS" "$attack" && has "$DEFENCES" "$defence" || return 0
  [ -f "$OUT/$name/summary.json" ] && return 0
  [ "$attack" != none ] && attack_flags="--attackers 20 --attack $attack"
  echo "$name|${DEFENCE[$defence]} $attack_flags" >>"$jobs_file"
}
add_job none fedavg
add_job label-flip fedavg
add_job label-flip zeno
add_job none zeno
for attack in $ATTACKS; do [ "$attack" != none ] && add_job "$attack" fedavg; done
for attack in $ATTACKS; do
  [ "$attack" = none ] && continue
  for defence in $DEFENCES; do [ "$defence" != fedavg-unbounded ] && [ "$defence" != fedavg ] && add_job "$attack" "$defence"; done
done
for attack in $ATTACKS; do [ "$attack" != none ] && add_job "$attack" fedavg-unbounded; done
for defence in $DEFENCES; do [ "$defence" != fedavg ] && add_job none "$defence"; done

run_one() {
  local name=${1%%|*} flags=${1#*|}
  echo "== $name ($flags)" >&2
  # shellcheck disable=SC2086  # flags are words on purpose
  node bin/chorus.js simulate --data "$DATA" --clients 100 --fraction 0.1 --rounds "$ROUNDS" --partition dirichlet \
    --alpha 0.5 --local-epochs 5 --batch 32 --lr 0.05 --logit-adjust 2 --seed "$SEED" --hash-bits "$HASH_BITS" $flags --out "$OUT/$name" >"$OUT/$name.log" 2>&1 \
    || { echo "!! $name failed: see $OUT/$name.log" >&2; return 1; }
}
export -f run_one
export DATA OUT HASH_BITS ROUNDS SEED
# Each run once, in the order added (the priority runs are added again by the loops).
awk '!seen[$0]++' "$jobs_file" | xargs -d '\n' -r -P "$JOBS" -I{} bash -c 'run_one "$@"' _ {}
rm -f "$jobs_file"

# Accuracy per round of every defence, one plot per attack (docs/images/attack-*.svg).
[ "$PLOTS" = 1 ] && for attack in $ATTACKS; do
  dirs=()
  for defence in $DEFENCES; do dirs+=("$OUT/$attack--$defence"); done
  node bin/chorus.js compare "${dirs[@]}" --out "docs/images/attack-$attack.svg" --title "Test accuracy, attack: $attack (20 of 100 clients)" >/dev/null
done
npx tsx bench/attack-table.ts "$OUT" --attacks "$ATTACKS" --defences "$DEFENCES" --rounds "$ROUNDS"
