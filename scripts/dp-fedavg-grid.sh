#!/usr/bin/env bash
# The runs behind docs/results.md "DP-FedAvg on MNIST: accuracy against ε": scripts/dp-fedavg-mnist.yaml
# (1,000 clients, q = 0.1, the 2NN, 20 rounds) with fixed clipping (C = 0.5) and adaptive clipping (Andrew
# et al. 2021, median target, from C = 0.5) at several noise multipliers z, and the same runs without noise
# or clipping (z = 0, C = 10⁶), 3 seeds each; every run also reports membership_auc (the loss-threshold
# attack of Yeom et al. 2018 on 2,000 members and 2,000 test samples). Prints the table as markdown:
# final test accuracy, ε at δ = 1e-5 (RDP, improved conversion) and membership AUC, mean ± sd over seeds.
# PARALLEL=N runs N at a time.
# Usage: scripts/dp-fedavg-grid.sh [OUT (default runs/dp-fedavg)] [MNIST folder (default ../shared/data/mnist)]
# Finished runs are skipped, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/dp-fedavg}"
data="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
seeds="${SEEDS:-0 1 2}"
# Each point is name:z:C:adaptive, the most telling first; POINTS overrides the list.
points="${POINTS:-none:0:1e6:false fixed:1:0.5:false adaptive:1:0.5:true fixed:0.3:0.5:false adaptive:0.3:0.5:true fixed:3:0.5:false adaptive:3:0.5:true}"
one_run() {
  IFS=: read -r name z clip adaptive seed <<<"$1"
  dir="$out/$name-z$z-s$seed"
  [ -f "$dir/summary.json" ] && return 0
  nice -n "${NICE:-15}" "$cohort" run "$root/scripts/dp-fedavg-mnist.yaml" --set dataset.root="$data" --set seed="$seed" \
    --set privacy.noise_multiplier="$z" --set privacy.clip="$clip" --set privacy.adaptive="$adaptive" --out "$dir" >/dev/null
}
export -f one_run
export out data cohort root
for point in $points; do
  for seed in $seeds; do
    echo "$point:$seed"
  done
done | xargs -P "${PARALLEL:-1}" -I{} bash -c 'one_run "$@"' _ {}
python3 - "$out" <<'PY'
import json, math, pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
rows = {}
for run in sorted(out.iterdir()):
    if not (run / "summary.json").exists():
        continue
    last = json.loads((run / "metrics.jsonl").read_text().strip().splitlines()[-1])
    point = run.name.rsplit("-s", 1)[0]
    epsilon, auc = last.get("epsilon"), last.get("membership_auc")
    rows.setdefault(point, []).append((last["test_accuracy"], math.inf if epsilon is None else epsilon, math.nan if auc is None else auc))
def cell(values, digits):
    values = [v for v in values if not math.isnan(v)]
    if any(math.isinf(v) for v in values):
        return "∞"
    mean = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"
print("| clipping | z | seeds | test accuracy | ε (δ = 1e-5) | membership AUC |")
print("|---|---:|---:|---:|---:|---:|")
for point, runs in rows.items():
    name, z = point.split("-z")
    print(f"| {name} | {z} | {len(runs)} | {cell([r[0] for r in runs], 4)} | {cell([r[1] for r in runs], 2)} | {cell([r[2] for r in runs], 3)} |")
PY
