#!/usr/bin/env python3
"""Regenerate the VADER golden files from the real Python package.

    pip install vaderSentiment==3.3.2
    python3 tools/golden/vader_golden.py [--shared ../shared]

Writes
  tests/golden/vader_probes.jsonl  our probes (text kept) with their scores
  tests/golden/vader_tweets.jsonl  scores of every text of shared/data/vader/tweets_GroundTruth.txt,
                                   kept by id (the texts stay in shared/)
Each score line holds neg, neu, pos, compound exactly as polarity_scores returns them.
"""
import argparse
import importlib.metadata
import json
import os
import platform
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import probes  # noqa: E402


def read_tweets(path):
    """id, text pairs; the same parse the Rust test uses: lines split on \\n, one trailing \\r dropped,
    three tab-separated fields (id, human mean, text)."""
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8")
    out = []
    for line in raw.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        tweet_id, _mean, text = line.split("\t", 2)
        out.append((tweet_id, text))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    version = importlib.metadata.version("vaderSentiment")
    if version != "3.3.2":
        sys.exit(f"vaderSentiment {version} installed; the golden files pin 3.3.2")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    out_dir = os.path.join(ROOT, "tests", "golden")
    with open(os.path.join(out_dir, "vader_probes.jsonl"), "w", encoding="utf-8") as f:
        for text in probes.all_probes():
            f.write(json.dumps({"text": text, **sia.polarity_scores(text)}, ensure_ascii=True) + "\n")
    tweets = read_tweets(os.path.join(args.shared, "data", "vader", "tweets_GroundTruth.txt"))
    with open(os.path.join(out_dir, "vader_tweets.jsonl"), "w", encoding="utf-8") as f:
        for tweet_id, text in tweets:
            f.write(json.dumps({"id": tweet_id, **sia.polarity_scores(text)}) + "\n")
    print(f"vaderSentiment {version} on Python {platform.python_version()}: "
          f"{len(probes.all_probes())} probes, {len(tweets)} tweets")


if __name__ == "__main__":
    main()
