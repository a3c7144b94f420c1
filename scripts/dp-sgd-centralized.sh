#!/usr/bin/env bash
# The runs behind docs/results.md "DP-SGD on centralized MNIST against the TF Privacy tutorial": the rows of the
# tutorial's table (tensorflow/privacy tutorials/README.md: learning rate, noise multiplier σ, clipping threshold C,
# epochs, batch 256, δ = 1e-5) on scripts/dp-sgd-mnist-centralized.yaml, cut to EPOCHS epochs (default: the
# table's), SEEDS seeds each. Prints our accuracy and ε (RDP with the improved conversion, as the run reports it)
# beside ε for the table's full epochs from `cohort privacy epsilon` with the classic and improved conversions
# and PLD. Finished runs are skipped. Usage: scripts/dp-sgd-centralized.sh [OUT (default runs/dp-sgd-centralized)] [MNIST folder]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/dp-sgd-centralized}"
data="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
seeds="${SEEDS:-0}"
# Each row is lr:σ:C:epochs, as the tutorial's table gives it; ROWS overrides the list.
rows="${ROWS:-0.15:1.1:1.0:60 0.25:1.3:1.5:15 0.25:0.7:1.5:45}"
for row in $rows; do
  IFS=: read -r lr sigma clip epochs <<<"$row"
  run_epochs="${EPOCHS:-$epochs}"
  for seed in $seeds; do
    dir="$out/lr$lr-s$sigma-c$clip-e$run_epochs-seed$seed"
    [ -f "$dir/summary.json" ] && continue
    nice -n "${NICE:-10}" "$cohort" run "$root/scripts/dp-sgd-mnist-centralized.yaml" --set dataset.root="$data" --set seed="$seed" \
      --set rounds="$run_epochs" --set client.lr="$lr" --set privacy.noise_multiplier="$sigma" --set privacy.clip="$clip" --out "$dir" >/dev/null
  done
done
echo "| lr | σ | C | epochs (table) | ε table | ε ours, classic | ε ours, improved | ε ours, PLD | epochs run | seeds | accuracy | ε at epochs run (improved) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in $rows; do
  IFS=: read -r lr sigma clip epochs <<<"$row"
  run_epochs="${EPOCHS:-$epochs}"
  steps=$((epochs * 60000 / 256))
  eps() { "$cohort" privacy epsilon --q "$(python3 -c 'print(256/60000)')" --sigma "$sigma" --steps "$steps" --delta 1e-5 "$@" | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["epsilon"])'; }
  python3 - "$out" "$lr" "$sigma" "$clip" "$epochs" "$run_epochs" "$(eps --conversion classic)" "$(eps --conversion improved)" "$(eps --accountant pld)" <<'PY'
import json, pathlib, statistics, sys
out, lr, sigma, clip, epochs, run_epochs, classic, improved, pld = sys.argv[1:]
table = {("0.15", "1.1"): "3.01", ("0.25", "1.3"): "1.19", ("0.25", "0.7"): "7.10"}.get((lr, sigma), "?")
runs = [json.loads((d / "metrics.jsonl").read_text().strip().splitlines()[-1]) for d in sorted(pathlib.Path(out).glob(f"lr{lr}-s{sigma}-c{clip}-e{run_epochs}-seed*")) if (d / "summary.json").exists()]
acc = [r["test_accuracy"] for r in runs]
cell = "–" if not acc else f"{statistics.mean(acc):.4f}" + (f" ± {statistics.stdev(acc):.4f}" if len(acc) > 1 else "")
eps_run = "–" if not runs else f"{runs[0]['epsilon']:.2f}"
print(f"| {lr} | {sigma} | {clip} | {epochs} | {table} | {classic} | {improved} | {pld} | {run_epochs} | {len(runs)} | {cell} | {eps_run} |")
PY
done
