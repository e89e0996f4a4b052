#!/usr/bin/env python3
"""Print the median of every criterion benchmark from its last run (target/criterion).

    cargo bench -p baton-benches && python3 tools/eval/criterion_medians.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2] / "target" / "criterion"

for estimates in sorted(ROOT.glob("**/new/estimates.json")):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
    print(f"{bench['full_id']:40s} median {median_ns / 1000:9.3f} us")
