#!/usr/bin/env bash
# Reruns every experiment of docs/research/README.md (and the centralized baseline of README.md), one run at a
# time, then writes their tables and plots.
#   docs/research/reproduce.sh [GROUP…]
#   groups: central fedavg strategies fedsgd tuning plain plots tables (default: all)
# Environment: CHORUS_DATA (the IMDB archive; default ../shared/data/aclImdb_v1.tar.gz), OUT (default runs/research).
# A run whose summary.json exists is skipped, so an interrupted reproduction resumes where it stopped.
# Roughly 3–8 minutes per 30-round run on 2 cores (FedSGD's 500 rounds: ~7 minutes, 60-round grid runs: ~1 minute
# each); the whole set is 57 simulations and takes several hours. `central` takes 30–40 minutes (25 trainings).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CHORUS_DATA:-../shared/data/aclImdb_v1.tar.gz}
OUT=${OUT:-runs/research}
mkdir -p "$OUT"

# The common setup: 100 clients, 10 % per round, Dirichlet α = 0.5, 30 rounds, E = 5, B = 32, Adam lr 0.05.
run() {
  local name=$1
  shift
  [ -f "$OUT/$name/summary.json" ] && return 0
  echo "== $name" >&2
  npx chorus simulate --data "$DATA" --clients 100 --fraction 0.1 --rounds 30 --partition dirichlet --alpha 0.5 \
    --local-epochs 5 --batch 32 --lr 0.05 "$@" --out "$OUT/$name"
}
LA="--logit-adjust 2"

central() {
  # `chorus train` with its defaults (README.md's 90.72%) and its two plots; then the same with the tuning budget of
  # the federated runs (bench/central-tuned.ts: 24 settings chosen on a validation split of the training set).
  [ -f "$OUT/central/metrics.json" ] || npx chorus train --data "$DATA" --out "$OUT/central"
  cp "$OUT/central/roc.svg" docs/images/central-roc.svg
  cp "$OUT/central/curves.svg" docs/images/central-curves.svg
  npm run --silent bench -- --only central-tuned | tee "$OUT/central-tuned.jsonl"
}

fedavg() {
  for seed in 0 1 2; do
    run "fedavg-seed$seed" --strategy fedavg --seed "$seed"
    run "fedavg-la2-seed$seed" --strategy fedavg $LA --seed "$seed"
    run "fedavgm-la2-seed$seed" --strategy fedavgm --server-lr 0.3 --momentum 0.7 $LA --seed "$seed"
  done
  run fedavgm-la2-lr1-m0.5 --strategy fedavgm --server-lr 1 --momentum 0.5 $LA
  for seed in 1 2; do run "fedavgm-la2-lr1-m0.5-seed$seed" --strategy fedavgm --server-lr 1 --momentum 0.5 $LA --seed "$seed"; done
  run fedavg-la2-seed0-socket --strategy fedavg $LA --transport socket
}

strategies() {
  run fedadam-la2 --strategy fedadam --server-lr 0.3 --tau 0.1 $LA
  run fedyogi-la2 --strategy fedyogi --server-lr 0.3 --tau 0.1 $LA
  run fedadagrad-la2 --strategy fedadagrad --server-lr 0.3 $LA
  for mu in 0.01 0.001 0.0001; do run "fedprox-la2-mu$mu" --strategy fedprox --mu "$mu" $LA; done
  run fedsgd-la2 --strategy fedsgd --optimizer sgd --lr 4 $LA
}

fedsgd() {
  # The grid is centred on the full-batch stability limit 8/λmax ≈ 7.9 (npm run bench -- --only fedsgd-stability).
  for lr in 2 4 8 16; do run "fedsgd-grid-lr$lr" --strategy fedsgd --optimizer sgd --lr "$lr" --rounds 60 --eval-every 5; done
  run fedsgd-lr4 --strategy fedsgd --optimizer sgd --lr 4 --rounds 500 --eval-every 5
}

tuning() {
  # Seed 1 is the seed whose last round samples 11 % positive reviews: the hardest case for the final model.
  run t-la1-seed1 --logit-adjust 1 --seed 1
  run t-la1-cb-seed1 --logit-adjust 1 --class-balance --seed 1
  run t-la2-cb-seed1 --logit-adjust 2 --class-balance --seed 1
  run t-la1-decay0.9-seed1 --logit-adjust 1 --lr-decay 0.9 --seed 1
  run t-la1-decay0.95-seed1 --logit-adjust 1 --lr-decay 0.95 --seed 1
  run t-la1-lr0.1-decay0.9-seed1 --logit-adjust 1 --lr 0.1 --lr-decay 0.9 --seed 1
  run t-la1-lr0.2-decay0.85-seed1 --logit-adjust 1 --lr 0.2 --lr-decay 0.85 --seed 1
  run t-la1-eps1e-3-seed1 --logit-adjust 1 --adam-epsilon 1e-3 --seed 1
  run t-la1-eps1e-2-seed1 --logit-adjust 1 --adam-epsilon 1e-2 --seed 1
  run t-la1-eps1e-3-lr0.1-seed1 --logit-adjust 1 --adam-epsilon 1e-3 --lr 0.1 --seed 1
  run t-decay0.9-seed1 --lr-decay 0.9 --seed 1
}

plain() {
  # Plain local loss (no logit adjustment), seed 0: the tuning log of local training (the last two were stopped
  # early, at the round given) and the server options tried before the adjustment, with FedAvgM's other seeds.
  run p-e1-lr0.01 --strategy fedavg --local-epochs 1 --lr 0.01
  run p-e2-lr0.02 --strategy fedavg --local-epochs 2 --lr 0.02
  run p-e2-lr0.05 --strategy fedavg --local-epochs 2 --lr 0.05
  run p-e2-lr0.2 --strategy fedavg --local-epochs 2 --lr 0.2
  run p-e5-lr0.02 --strategy fedavg --lr 0.02
  run p-e10-lr0.05-b16 --strategy fedavg --local-epochs 10 --batch 16
  run p-e5-sgd-lr8 --strategy fedavg --optimizer sgd --lr 8
  run fedavg-classbalance --strategy fedavg --class-balance
  run p-e2-lr0.005-r9 --strategy fedavg --local-epochs 2 --lr 0.005 --rounds 9
  run p-e5-sgd-lr2-r20 --strategy fedavg --optimizer sgd --lr 2 --rounds 20
  for seed in 0 1 2; do run "fedavgm-lr0.3-m0.7-seed$seed" --strategy fedavgm --server-lr 0.3 --momentum 0.7 --seed "$seed"; done
  run fedavgm-lr0.1-m0.9 --strategy fedavgm --server-lr 0.1 --momentum 0.9
  run fedadam-default --strategy fedadam
  run fedadam-lr0.1 --strategy fedadam --server-lr 0.1
  run fedadam-lr0.3-tau0.1 --strategy fedadam --server-lr 0.3 --tau 0.1
  run fedyogi-lr0.1 --strategy fedyogi --server-lr 0.1
  run fedyogi-lr0.3-tau0.1 --strategy fedyogi --server-lr 0.3 --tau 0.1
  run fedadagrad-lr0.1 --strategy fedadagrad --server-lr 0.1
  run fedadagrad-lr0.3 --strategy fedadagrad --server-lr 0.3
}

plots() {
  local o=$OUT
  npx chorus compare "$o"/fedavg-seed{0,1,2} "$o"/fedavg-la2-seed{0,1,2} --out docs/research/fedavg-logit-adjust.svg \
    --title "FedAvg, plain vs logit-adjusted (τ 2), 3 seeds"
  npx chorus compare "$o"/fedavg-la2-seed0 "$o"/fedavgm-la2-seed0 "$o"/fedavgm-la2-lr1-m0.5 "$o"/fedadam-la2 "$o"/fedyogi-la2 \
    "$o"/fedadagrad-la2 "$o"/fedprox-la2-mu0.0001 "$o"/fedsgd-la2 --out docs/research/strategies-dirichlet.svg \
    --title "Every strategy, logit-adjusted local loss (τ 2)"
  npx chorus compare "$o"/fedavg-seed1 "$o"/t-la1-seed1 "$o"/fedavg-la2-seed1 --metric testPositiveRate \
    --out docs/research/predicted-positive.svg --title "Seed 1: share of test reviews predicted positive"
  # A plot's legend names each run by its directory: this link labels the seed-0 FedAvg run by what it shows here.
  ln -sfn fedavg-seed0 "$o/fedavg-e5"
  npx chorus compare "$o"/fedavg-e5 "$o"/fedsgd-lr4 --out docs/research/fedsgd-vs-fedavg.svg --title "FedAvg (E = 5) vs FedSGD (lr 4)"
  npx chorus compare "$o"/fedavg-e5 "$o"/fedsgd-lr4 --metric testAuc --out docs/research/fedsgd-vs-fedavg-auc.svg \
    --title "FedAvg (E = 5) vs FedSGD (lr 4)"
  # Plain FedAvg, seed 0, per round with the sampled clients' label mix: the run's own plot.
  cp "$o"/fedavg-seed0/accuracy.svg docs/research/fedavg-accuracy.svg
}

tables() {
  # The `chorus compare` tables of docs/research/README.md and README.md, one file each under $OUT/tables.
  local o=$OUT t=$OUT/tables
  mkdir -p "$t"
  npx chorus compare "$o"/fedavg-seed{0,1,2} > "$t/fedavg-plain.md"
  npx chorus compare "$o"/fedavg-la2-seed{0,1,2} > "$t/fedavg-la2.md"
  npx chorus compare "$o"/fedavg-seed1 "$o"/t-decay0.9-seed1 "$o"/t-la1-seed1 "$o"/t-la1-cb-seed1 "$o"/t-la1-decay0.9-seed1 \
    "$o"/t-la1-decay0.95-seed1 "$o"/t-la1-lr0.1-decay0.9-seed1 "$o"/t-la1-lr0.2-decay0.85-seed1 "$o"/t-la1-eps1e-3-seed1 \
    "$o"/t-la1-eps1e-3-lr0.1-seed1 "$o"/t-la1-eps1e-2-seed1 "$o"/t-la2-cb-seed1 "$o"/fedavg-la2-seed1 > "$t/logit-adjust-tuning.md"
  npx chorus compare "$o"/fedavg-la2-seed0 "$o"/fedavgm-la2-seed0 "$o"/fedavgm-la2-lr1-m0.5 "$o"/fedadam-la2 "$o"/fedyogi-la2 \
    "$o"/fedadagrad-la2 "$o"/fedprox-la2-mu{0.01,0.001,0.0001} "$o"/fedsgd-la2 > "$t/strategies.md"
  npx chorus compare "$o"/fedavg-la2-seed{0,1,2} "$o"/fedavgm-la2-seed{0,1,2} "$o"/fedavgm-la2-lr1-m0.5 \
    "$o"/fedavgm-la2-lr1-m0.5-seed{1,2} > "$t/fedavg-vs-fedavgm-seeds.md"
  npx chorus compare "$o"/fedavg-seed0 "$o"/fedavg-classbalance "$o"/fedavgm-lr0.3-m0.7-seed0 "$o"/fedavgm-lr0.1-m0.9 \
    "$o"/fedadam-default "$o"/fedadam-lr0.1 "$o"/fedadam-lr0.3-tau0.1 "$o"/fedyogi-lr0.1 "$o"/fedyogi-lr0.3-tau0.1 \
    "$o"/fedadagrad-lr0.1 "$o"/fedadagrad-lr0.3 > "$t/plain-strategies.md"
  npx chorus compare "$o"/fedavg-seed0 "$o"/fedavgm-lr0.3-m0.7-seed{0,1,2} > "$t/plain-fedavgm-seeds.md"
  npx chorus compare "$o"/fedsgd-grid-lr{2,4,8,16} > "$t/fedsgd-grid.md"
  npx chorus compare "$o"/fedavg-seed0 "$o"/fedsgd-lr4 > "$t/fedsgd-vs-fedavg.md"
  npx chorus compare "$o"/p-e1-lr0.01 "$o"/p-e2-lr0.02 "$o"/p-e2-lr0.05 "$o"/p-e2-lr0.2 "$o"/p-e5-lr0.02 "$o"/fedavg-seed0 \
    "$o"/p-e10-lr0.05-b16 "$o"/p-e5-sgd-lr8 "$o"/fedavg-classbalance "$o"/p-e2-lr0.005-r9 "$o"/p-e5-sgd-lr2-r20 > "$t/tuning-log.md"
  echo "wrote $t/*.md" >&2
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(central fedavg strategies fedsgd tuning plain plots tables)
for group in "${groups[@]}"; do
  case $group in
    central | fedavg | strategies | fedsgd | tuning | plain | plots | tables) "$group" ;;
    *) echo "unknown group: $group (central fedavg strategies fedsgd tuning plain plots tables)" >&2; exit 2 ;;
  esac
done
