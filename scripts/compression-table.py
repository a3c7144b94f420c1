#!/usr/bin/env python3
"""Tables for docs/results.md "Accuracy against bytes" from the runs of scripts/compression-grid.sh.

Usage: scripts/compression-table.py [RUNS (default runs/compression)]
Per partition and code: the uplink compression ratio, the uplink bytes of the whole run, the final and
best test accuracy, and the round and cumulative uplink bytes at which the test accuracy first reached
the partition's target (97 % IID, 90 % non-IID; evaluated every 2 rounds).
"""
import json
import pathlib
import sys

runs = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/compression")
targets = {"iid": 0.97, "shards": 0.90}
codes = ["none", "sign", "sign-ef", "terngrad", "qsgd", "stochastic-rounding", "natural", "topk", "topk-ef", "randk",
         "threshold", "fp16", "bf16", "tf32", "fp8-e4m3", "fp8-e5m2", "int8", "lazy", "powersgd"]


def megabytes(b):
    return f"{b / 1e6:,.1f}"


for partition, target in targets.items():
    print(f"\n### {partition}, target {100 * target:.0f} %\n")
    print("| code | uplink ratio | uplink MB (100 rounds) | final | best | round to target | uplink MB to target |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for code in codes:
        folder = runs / f"{partition}-{code}"
        if not (folder / "summary.json").exists():
            print(f"| {code} | not run | | | | | |")
            continue
        summary = json.loads((folder / "summary.json").read_text())
        rows = [json.loads(l) for l in (folder / "metrics.jsonl").read_text().splitlines() if l.strip()]
        last = rows[-1]
        total_up = last["bytes_up_total"]
        dense = last["round"] * 10 * 199210 * 4
        hit = next((r for r in rows if r["test_accuracy"] >= target), None)
        print(f"| {code} | {dense / total_up:.1f} | {megabytes(total_up)} | {100 * summary['final_test_accuracy']:.2f} | "
              f"{100 * summary['best_test_accuracy']:.2f} | {hit['round'] if hit else '—'} | "
              f"{megabytes(hit['bytes_up_total']) if hit else '—'} |")
