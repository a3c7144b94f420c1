#!/usr/bin/env bash
# The runs behind docs/results.md "Membership inference in an overfit setting, with and without DP-SGD":
# scripts/dp-membership-overfit.yaml without DP and with sample-level DP-SGD inside the clients (Poisson batches
# at q = 10/60, per-example clipping to C, noise multiplier σ) at each point of POINTS, SEEDS seeds each; prints
# test accuracy, the clients' last training loss, ε at δ = 1e-5 (RDP, improved conversion; the largest over the
# clients) and membership AUC, mean ± sd over seeds. Finished runs are skipped.
# Usage: scripts/dp-membership-grid.sh [OUT (default runs/dp-membership)] [MNIST folder]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/dp-membership}"
data="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
seeds="${SEEDS:-0 1 2}"
# Each point is name:σ:C (none: plain training, σ and C unused).
points="${POINTS:-none:0:0 dp-sgd:1:1 dp-sgd:3:1}"
for point in $points; do
  IFS=: read -r name sigma clip <<<"$point"
  for seed in $seeds; do
    dir="$out/$name-s$sigma-seed$seed"
    [ -f "$dir/summary.json" ] && continue
    private=()
    [ "$name" = none ] || private=(--set privacy.mechanism=dp-sgd --set privacy.noise_multiplier="$sigma" --set privacy.clip="$clip")
    nice -n "${NICE:-10}" "$cohort" run "$root/scripts/dp-membership-overfit.yaml" --set dataset.root="$data" --set seed="$seed" "${private[@]}" --out "$dir" >/dev/null
  done
done
python3 - "$out" <<'PY'
import json, math, pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
rows = {}
for run in sorted(out.iterdir()):
    if not (run / "summary.json").exists():
        continue
    last = json.loads((run / "metrics.jsonl").read_text().strip().splitlines()[-1])
    rows.setdefault(run.name.rsplit("-seed", 1)[0], []).append(
        (last["test_accuracy"], last.get("train_loss") or math.nan, last.get("epsilon", math.inf), last["membership_auc"]))
def cell(values, digits):
    if any(math.isinf(v) for v in values):
        return "∞"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {sd:.{digits}f}"
print("| training | σ | seeds | test accuracy | training loss | ε (δ = 1e-5) | membership AUC |")
print("|---|---:|---:|---:|---:|---:|---:|")
for point, runs in rows.items():
    name, sigma = point.rsplit("-s", 1)
    print(f"| {name} | {sigma} | {len(runs)} | {cell([r[0] for r in runs], 4)} | {cell([r[1] for r in runs], 3)} | {cell([r[2] for r in runs], 2)} | {cell([r[3] for r in runs], 3)} |")
PY
