#!/usr/bin/env bash
# The reconstruction-quality table of docs/results.md: each gradient-leakage attack on the MNIST 2NN ("mlp")
# at its initial weights, batch 1, against no defence, DP at several ε and top-k, over seeds 0-2;
# then iDLG's label accuracy on the CNNs. Prints Markdown (mean ± sd over the seeds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-$root/../shared/data/mnist}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# COHORT: another command line for the tool (e.g. "dotnet path/to/cohort.dll"); default ./cohort.
# shellcheck disable=SC2086
cohort() { if [ -n "${COHORT:-}" ]; then nice -n 15 $COHORT "$@"; else nice -n 15 "$root/cohort" "$@"; fi; }
rows="$out/rows.jsonl"
for attack in analytic idlg dlg inverting; do
  for defence in "none" "dp --epsilon 100" "dp --epsilon 8" "dp --epsilon 1" "topk --topk 0.1" "topk --topk 0.01"; do
    for seed in 0 1 2; do
      # shellcheck disable=SC2086
      line=$(cohort leak --model mlp --data "$data" --attack "$attack" --defence $defence --seed "$seed" --out "$out/img")
      echo "{\"row\":\"$attack\",\"column\":\"$defence\",\"result\":$line}" >> "$rows"
    done
  done
done
for model in lenet5 cnn; do
  for batch in 1 4; do
    for seed in 0 1 2; do
      line=$(cohort leak --model "$model" --data "$data" --attack idlg --iterations 1 --batch "$batch" --images 20 --seed "$seed" --out "$out/img")
      echo "{\"row\":\"$model batch $batch\",\"column\":\"labels\",\"result\":$line}" >> "$rows"
    done
  done
done
python3 - "$rows" <<'PY'
import json, statistics, sys
from collections import defaultdict
cells = defaultdict(list)
order_rows, order_cols = [], []
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["row"], r["column"])
    if r["row"] not in order_rows: order_rows.append(r["row"])
    if r["column"] not in order_cols and r["column"] != "labels": order_cols.append(r["column"])
    cells[key].append(r["result"])
def ms(values, digits):
    values = [float("inf") if v == "Infinity" else v for v in values]
    if any(v == float("inf") for v in values): return "∞"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"
print("| attack | " + " | ".join(order_cols) + " |")
print("|---" * (len(order_cols) + 1) + "|")
for row in [r for r in order_rows if "batch" not in r]:
    out = []
    for col in order_cols:
        rs = cells[(row, col)]
        out.append(f"{ms([r['psnr'] for r in rs], 1)} dB / {ms([r['ssim'] for r in rs], 2)} / {ms([r['label_accuracy'] for r in rs], 2)}")
    print(f"| {row} | " + " | ".join(out) + " |")
print()
print("| model, batch | iDLG label accuracy (20 images) |")
print("|---|---|")
for row in [r for r in order_rows if "batch" in r]:
    print(f"| {row} | {ms([r['label_accuracy'] for r in cells[(row, 'labels')]], 3)} |")
PY
