#!/usr/bin/env python3
"""The table for docs/results.md "Local SGD against mini-batch SGD" from scripts/local-sgd-grid.sh's runs.

Usage: scripts/local-sgd-table.py [RUNS (default runs/local-sgd)]
Per client learning rate: test accuracy of local SGD and large-batch SGD after their 40 communications,
and of small-batch SGD after 32 (the nearest evaluated round to 40) and after its 320.
"""
import json
import pathlib
import sys

runs = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/local-sgd")


def accuracy(name, at=None):
    folder = runs / name
    if not (folder / "summary.json").exists():
        return None
    rows = [json.loads(l) for l in (folder / "metrics.jsonl").read_text().splitlines() if l.strip()]
    if at is None:
        return rows[-1]["test_accuracy"]
    return next((r["test_accuracy"] for r in rows if r["round"] == at), None)


def pct(v):
    return "not run" if v is None else f"{100 * v:.1f} %"


print("| client lr | local SGD, τ = 8 (40 comms) | mini-batch 4,096 (40 comms) | mini-batch 512 (32 comms) | mini-batch 512 (320 comms) |")
print("|---:|---:|---:|---:|---:|")
for lr in ["0.02", "0.05", "0.1"]:
    print(f"| {lr} | {pct(accuracy(f'local-sgd-lr{lr}'))} | {pct(accuracy(f'minibatch-same-gradients-lr{lr}'))} | "
          f"{pct(accuracy(f'minibatch-same-steps-lr{lr}', 32))} | {pct(accuracy(f'minibatch-same-steps-lr{lr}'))} |")
