#!/usr/bin/env bash
# The grid behind docs/results.md "Methods against client drift": 2 data sets x 4 partitions x 7 methods
# x 3 client learning rates x 3 seeds, the 2NN on 100 clients, 10 a round, up to 200 rounds, stopping at the target.
# One sweep per data set, method and partition family: OUT/<data set>/<method>-dirichlet (alpha 0.1, 0.5, 100)
# and OUT/<data set>/<method>-shards (2 shards a client); each sweep's sweep.md is its table (rounds to the
# target and how many seeds reached it, final and best accuracy per rate and partition, failed = diverged runs).
# Usage: scripts/drift-grid.sh [OUT (default runs/drift)] [DATA ROOT (default ../shared/data)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/drift}"
data="${2:-$root/../shared/data}"
cohort="${COHORT:-$root/cohort}"
methods="${METHODS:-fedavg fedprox scaffold fedavgm fedadam mimelite fednova}"
rates="${RATES:-0.05,0.1,0.2}"
mkdir -p "$out/.experiments"
declare -A target=([mnist]=0.95 [fashion-mnist]=0.80)
for dataset in ${DATASETS:-mnist fashion-mnist}; do
  for method in $methods; do
    # zeta2 belongs to the partition: measured in the FedAvg runs only, which keeps the others cheap.
    diag=false; [ "$method" = fedavg ] && diag=true
    common=(--grid client.lr="$rates" --seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}"
      --set dataset.name="$dataset" --set dataset.root="$data/$dataset" --set rounds=200 --set target_accuracy="${target[$dataset]}"
      --set eval.every=2 --set eval.clients=false --set diagnostics.enabled=$diag)
    "$cohort" sweep "$root/examples/drift/$method.yaml" --grid partition.alpha="${ALPHAS:-0.1,0.5,100}" "${common[@]}" \
      --out "$out/$dataset/$method-dirichlet" || echo "failed runs in $out/$dataset/$method-dirichlet" >&2
    # The example files name a Dirichlet alpha, which a shards partition refuses: drop that line.
    shards="$out/.experiments/$method-shards.yaml"
    sed '/^  alpha:/d' "$root/examples/drift/$method.yaml" > "$shards"
    "$cohort" sweep "$shards" --set partition.kind=shards "${common[@]}" \
      --out "$out/$dataset/$method-shards" || echo "failed runs in $out/$dataset/$method-shards" >&2
  done
done
