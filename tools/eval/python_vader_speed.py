#!/usr/bin/env python3
"""Python vaderSentiment 3.3.2's time per message on the two texts of benches/benches/decision.rs,
for the comparison in the criterion report:

    pip install vaderSentiment==3.3.2
    python3 tools/eval/python_vader_speed.py

Prints the median over 15 repeats of the mean time per call (timeit, 2,000 calls a repeat).
"""
import platform
import re
import statistics
import timeit
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

BENCH = Path(__file__).resolve().parents[2] / "benches" / "benches" / "decision.rs"


def bench_texts():
    """The SHORT and LONG constants of the Rust bench, so both sides score the same text."""
    src = BENCH.read_text(encoding="utf-8")
    out = {}
    for name in ("SHORT", "LONG"):
        body = re.search(rf'const {name}: &str = "(.*?)";', src, re.S).group(1)
        out[name] = re.sub(r"\\\n", "", body).replace('\\"', '"')
    return out


def main():
    sia = SentimentIntensityAnalyzer()
    texts = bench_texts()
    assert len(texts["LONG"]) == 280, len(texts["LONG"])
    print(f"Python {platform.python_version()}, vaderSentiment 3.3.2")
    for name, text in texts.items():
        calls = 2000
        runs = timeit.repeat(lambda: sia.polarity_scores(text), number=calls, repeat=15)
        per_call_us = statistics.median(runs) / calls * 1e6
        print(f"{name.lower():6} ({len(text)} chars): median {per_call_us:.2f} us per message")


if __name__ == "__main__":
    main()
