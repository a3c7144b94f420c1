#!/usr/bin/env python3
"""Tables for docs/results.md from the runs of scripts/drift-grid.sh.

Usage: scripts/drift-table.py [RUNS (default runs/drift)]
Per data set: for each method and partition, the fewest rounds to the target over the learning-rate
grid (with the rate that got there), or the best accuracy reached in 200 rounds, and † with the rates
whose runs diverged (stopped on a non-finite loss or update); and each partition's
zeta2 from the FedAvg runs (at the first evaluated round, and the median over the run).
"""
import json
import pathlib
import statistics
import sys

runs = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/drift")
datasets = ["mnist", "fashion-mnist"]
partitions = ["dir0.1", "dir0.5", "dir100", "shards"]
labels = {"dir0.1": "Dir(0.1)", "dir0.5": "Dir(0.5)", "dir100": "Dir(100)", "shards": "2 shards"}
methods = ["fedavg", "fedprox", "scaffold", "fedavgm", "fedadam", "mimelite", "fednova"]
rates = ["0.05", "0.1", "0.2"]


def load(name):
    """(summary, rows) of a finished run; a run stopped by divergence (a non-finite loss or update, said
    in its log) counts with the best accuracy it logged and no rounds to target; None if not run."""
    folder = runs / name
    summary = folder / "summary.json"
    metrics = folder / "metrics.jsonl"
    rows = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()] if metrics.exists() else []
    if summary.exists():
        return json.loads(summary.read_text()), rows
    log = runs / (name + ".log")
    if log.exists() and "not finite" in log.read_text():
        best = max((r["test_accuracy"] for r in rows), default=0.0)
        return {"rounds_to_target": None, "best_test_accuracy": best, "diverged": True}, rows
    return None


def cell(dataset, partition, method):
    best = None
    missing = 0
    for lr in rates:
        run = load(f"{dataset}-{partition}-{method}-lr{lr}")
        if run is None:
            missing += 1
            continue
        summary, _ = run
        reached = summary.get("rounds_to_target")
        key = (0, reached) if reached is not None else (1, -summary["best_test_accuracy"])
        if best is None or key < best[0]:
            best = (key, lr, summary)
    if best is None:
        return "not run"
    (_, _), lr, summary = best
    text = (f"{summary['rounds_to_target']} ({lr})" if summary.get("rounds_to_target") is not None
            else f"— ({100 * summary['best_test_accuracy']:.1f} %, {lr})")
    diverged = [lr for lr in rates if (run := load(f"{dataset}-{partition}-{method}-lr{lr}")) and run[0].get("diverged")]
    if diverged:
        text += " †" + ",".join(diverged)
    return text + (" *" if missing else "")


for dataset in datasets:
    target = None
    for name in (p.name for p in runs.glob(f"{dataset}-*")):
        run = load(name)
        if run:
            target = run[0]["target_accuracy"]
            break
    print(f"\n### {dataset}, target {100 * target:.0f} %\n" if target else f"\n### {dataset}\n")
    print("| method | " + " | ".join(labels[p] for p in partitions) + " |")
    print("|---|" + "---:|" * len(partitions))
    for method in methods:
        print(f"| {method} | " + " | ".join(cell(dataset, p, method) for p in partitions) + " |")
    zetas = []
    for partition in partitions:
        run = load(f"{dataset}-{partition}-fedavg-lr0.05")
        values = [r["zeta2"] for r in run[1] if "zeta2" in r] if run else []
        zetas.append(f"{values[0]:.2f} / {statistics.median(values):.2f}" if values else "—")
    print("| zeta2 (first / median) | " + " | ".join(zetas) + " |")
