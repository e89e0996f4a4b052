#!/usr/bin/env python3
"""Evaluate Baton's detectors and scorer on the development data in ../shared/data.

    cargo build --release -p baton-engine
    python3 tools/eval/evaluate.py [--baton target/release/baton] [--shared ../shared] [--errors N]

Runs `baton score` (the same code the engine uses) over
  - bitext-8k: explicit-request precision and recall (positives: intent contact_human_agent),
    and the false-positive rate on contact_customer_service alone (asks for contact details);
  - banking77: topic precision and recall per default topic, under the mapping below;
  - vader tweets: Pearson r of compound against the human mean rating.
No third-party Python packages are needed.

The detector figures are the phrase rules alone (the `rules` part of each `baton score` line):
the shipped model is trained on these very sets, so its figures here would be in-sample.
tools/eval/model_eval.py measures rules with the model by cross-validation instead.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# banking77 intent -> Baton default topic. A billing dispute contests a charge or asks for
# money back; account security is someone else possibly having access (compromise, loss or
# theft of a card or phone); cancellation is closing the account. Everything else, including
# fee questions, pending payments and card delivery, is no topic. banking77 has no legal intent.
# It lives in engine/models/sources.py, which trains the shipped model on the same mapping.
TOPICS = ["billing_dispute", "account_security", "legal", "cancellation"]
sys.path.insert(0, os.path.join(ROOT, "engine", "models"))
import sources  # noqa: E402

BANKING77_TOPICS = sources.BANKING77_TOPICS


def score(baton, texts):
    """One `baton score` process for all texts (one per line)."""
    for t in texts:
        if "\n" in t or "\r" in t:
            raise ValueError(f"text with a newline: {t!r}")
    proc = subprocess.run([baton, "score"], input="\n".join(texts) + "\n", capture_output=True,
                          text=True, encoding="utf-8", check=True)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(texts), (len(out), len(texts))
    # The rules' verdicts (see the module docstring); sentiment is the same either way.
    return [dict(s, explicit_request=s["rules"]["explicit_request"], topic=s["rules"]["topic"]) for s in out]


def ratio(a, b):
    return a / b if b else None


def explicit_requests(baton, shared, n_errors):
    path = os.path.join(shared, "data", "bitext-8k", "Bitext_Sample_Customer_Service_Training_Dataset.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    scored = score(baton, [r["utterance"] for r in rows])
    tp = fp = fn = 0
    hard_fp = hard_n = 0
    misses, false_alarms = [], []
    for r, s in zip(rows, scored):
        positive = r["intent"] == "contact_human_agent"
        said = s["explicit_request"]
        tp += positive and said
        fn += positive and not said
        fp += said and not positive
        if said and not positive:
            false_alarms.append((r["intent"], r["utterance"]))
        if positive and not said:
            misses.append(r["utterance"])
        if r["intent"] == "contact_customer_service":
            hard_n += 1
            hard_fp += said
    result = {
        "rows": len(rows),
        "positives": tp + fn,
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "false_positives": fp,
        "contact_customer_service_rows": hard_n,
        "contact_customer_service_fp_rate": ratio(hard_fp, hard_n),
    }
    if n_errors:
        result["some_misses"] = misses[:n_errors]
        result["some_false_alarms"] = false_alarms[:n_errors]
    return result


def topics(baton, shared, n_errors):
    path = os.path.join(shared, "data", "banking77", "train.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    scored = score(baton, [r["text"].replace("\n", " ") for r in rows])
    per = {}
    errors = {t: {"missed": [], "false": []} for t in TOPICS}
    explicit_fp = 0
    for r, s in zip(rows, scored):
        truth = BANKING77_TOPICS.get(r["category"])
        said = s["topic"]
        explicit_fp += s["explicit_request"]
        for t in TOPICS:
            c = per.setdefault(t, {"tp": 0, "fp": 0, "fn": 0})
            if said == t and truth == t:
                c["tp"] += 1
            elif said == t:
                c["fp"] += 1
                errors[t]["false"].append((r["category"], r["text"]))
            elif truth == t:
                c["fn"] += 1
                errors[t]["missed"].append((r["category"], said, r["text"]))
    result = {"rows": len(rows), "per_topic": {}}
    for t in TOPICS:
        c = per[t]
        entry = {"support": c["tp"] + c["fn"], "predicted": c["tp"] + c["fp"],
                 "precision": ratio(c["tp"], c["tp"] + c["fp"]), "recall": ratio(c["tp"], c["tp"] + c["fn"])}
        if n_errors:
            entry["some_missed"] = errors[t]["missed"][:n_errors]
            entry["some_false"] = errors[t]["false"][:n_errors]
        result["per_topic"][t] = entry
    all_tp = sum(per[t]["tp"] for t in TOPICS)
    all_fp = sum(per[t]["fp"] for t in TOPICS)
    all_fn = sum(per[t]["fn"] for t in TOPICS)
    result["micro_precision"] = ratio(all_tp, all_tp + all_fp)
    result["micro_recall"] = ratio(all_tp, all_tp + all_fn)
    # No banking77 row asks for a human: every explicit request here is a false positive.
    result["explicit_request_false_positive_rate"] = ratio(explicit_fp, len(rows))
    return result


def sentiment(baton, shared):
    path = os.path.join(shared, "data", "vader", "tweets_GroundTruth.txt")
    with open(path, "rb") as f:
        lines = [l[:-1] if l.endswith("\r") else l for l in f.read().decode("utf-8").split("\n")]
    rows = [l.split("\t", 2) for l in lines if l]
    scored = score(baton, [r[2] for r in rows])
    xs = [s["compound"] for s in scored]
    ys = [float(r[1]) for r in rows]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    return {"tweets": n, "pearson_r": cov / math.sqrt(vx * vy)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baton", default=os.path.join(ROOT, "target", "release", "baton"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--errors", type=int, default=0, help="list up to N misclassified texts")
    args = ap.parse_args()
    if not os.path.exists(args.baton):
        sys.exit(f"{args.baton} not found: run `cargo build --release -p baton-engine` first")
    report = {
        "explicit_request_bitext": explicit_requests(args.baton, args.shared, args.errors),
        "topics_banking77": topics(args.baton, args.shared, args.errors),
        "sentiment_tweets": sentiment(args.baton, args.shared),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
