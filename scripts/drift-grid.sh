#!/usr/bin/env bash
# The grid behind docs/results.md "Methods against client drift": 2 data sets x 4 partitions x 7 methods
# x 3 client learning rates, the 2NN on 100 clients, 10 a round, up to 200 rounds, stopping at the target.
# Usage: scripts/drift-grid.sh [OUT (default runs/drift)] [DATA ROOT (default ../shared/data)]
# A run whose folder already holds summary.json is skipped, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/drift}"
data="${2:-$root/../shared/data}"
cohort="${COHORT:-$root/cohort}"
methods="${METHODS:-fedavg fedprox scaffold fedavgm fedadam mimelite fednova}"
rates="${RATES:-0.05 0.1 0.2}"
mkdir -p "$out"
declare -A target=([mnist]=0.95 [fashion-mnist]=0.80)
declare -A folder=([mnist]=mnist [fashion-mnist]=fashion-mnist)
for dataset in ${DATASETS:-mnist fashion-mnist}; do
  for partition in ${PARTITIONS:-dir0.1 dir0.5 dir100 shards}; do
    case "$partition" in
      shards) part=(--set partition.kind=shards) ;;
      *) part=(--set partition.kind=dirichlet --set "partition.alpha=${partition#dir}") ;;
    esac
    for method in $methods; do
      for lr in $rates; do
        run="$out/$dataset-$partition-$method-lr$lr"
        [ -f "$run/summary.json" ] && continue
        rm -rf "$run"
        # zeta2 belongs to the partition: measured in the FedAvg runs only, which keeps the others cheap.
        diag=false; [ "$method" = fedavg ] && diag=true
        experiment="$root/examples/drift/$method.yaml"
        if [ "$partition" = shards ]; then
          # The example files name a Dirichlet alpha, which a shards partition refuses: drop that line.
          experiment="$out/.experiments/$method-shards.yaml"
          mkdir -p "$out/.experiments"
          sed '/^  alpha:/d' "$root/examples/drift/$method.yaml" > "$experiment"
        fi
        "$cohort" run "$experiment" \
          --set dataset.name="$dataset" --set dataset.root="$data/${folder[$dataset]}" "${part[@]}" \
          --set client.lr="$lr" --set rounds=200 --set target_accuracy="${target[$dataset]}" \
          --set eval.every=2 --set eval.clients=false --set diagnostics.enabled=$diag --set threads=1 --out "$run" > "$run.log" 2>&1 \
          || echo "failed: $run (see $run.log)" >&2
      done
    done
  done
done
