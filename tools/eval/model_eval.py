#!/usr/bin/env python3
"""Precision, recall and F1 of explicit-request and topic detection, rules alone and rules with
the learned model, on the development data and on the hand-written hard cases.

    cargo build --release -p baton-engine
    python3 tools/eval/model_eval.py [--baton target/release/baton] [--shared ../shared] [--folds 7]

- bitext-8k (explicit requests; intent contact_human_agent) and banking77's training split
  (topics under engine/models/sources.py's mapping) are in the default model's training data,
  so they are measured by cross-validation: for each fold, `baton train --fold k` builds a model
  from the same sources without that fold, and that fold's rows are scored with it.
- engine/models/eval/hard_cases.jsonl (written for this project, never trained on) is scored
  with the shipped model.
`baton score` prints both verdicts on one line ("rules" is the rules alone), so each row is
scored once. No third-party packages are needed.
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "engine", "models"))
import sources  # noqa: E402

LABELS = ["explicit_request", "billing_dispute", "account_security", "legal", "cancellation"]
MASK64 = (1 << 64) - 1


def splitmix(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def fold_of(text, folds):
    """model::train::held_out's split: FNV-1a 64 of the text, SplitMix64, modulo folds."""
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & MASK64
    return splitmix(h) % folds


def score(baton, texts, config=None):
    args = [baton] + (["--config", config] if config else []) + ["score"]
    proc = subprocess.run(args, input="\n".join(texts) + "\n", capture_output=True, text=True,
                          encoding="utf-8", check=True)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(texts), (len(out), len(texts))
    return out


def said(s, which, label):
    v = s if which == "combined" else s["rules"]
    return v["explicit_request"] if label == "explicit_request" else v["topic"] == label


class Counts:
    def __init__(self):
        self.c = collections.defaultdict(lambda: [0, 0, 0])  # tp, fp, fn

    def add(self, key, truth, pred):
        c = self.c[key]
        if truth and pred:
            c[0] += 1
        elif pred:
            c[1] += 1
        elif truth:
            c[2] += 1

    def prf(self, key):
        tp, fp, fn = self.c[key]
        p = tp / (tp + fp) if tp + fp else None
        r = tp / (tp + fn) if tp + fn else None
        f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        return {"support": tp + fn, "precision": p, "recall": r, "f1": f}


def cross_validated(baton, shared, folds, tmp):
    data = os.path.join(tmp, "src")
    subprocess.run([sys.executable, os.path.join(ROOT, "engine", "models", "sources.py"),
                    "--shared", shared, "--out", data], check=True)
    files = [os.path.join(data, f) for f in ("bitext.jsonl", "banking77.jsonl", "vader_tweets.jsonl")]
    files.append(os.path.join(ROOT, "engine", "models", "train", "supplement.jsonl"))
    bitext_path = os.path.join(shared, "data", "bitext-8k", "Bitext_Sample_Customer_Service_Training_Dataset.csv")
    with open(bitext_path, encoding="utf-8-sig", newline="") as f:
        bitext = [(sources.clean(r["utterance"]), r["intent"]) for r in csv.DictReader(f)]
    with open(os.path.join(shared, "data", "banking77", "train.csv"), encoding="utf-8", newline="") as f:
        banking = [(sources.clean(r["text"]), r["category"]) for r in csv.DictReader(f)]
    counts = {"bitext": Counts(), "banking77": Counts()}
    hard_negative_fp = {"rules": 0, "combined": 0}
    hard_negative_n = 0
    banking_request_fp = {"rules": 0, "combined": 0}
    for k in range(folds):
        model = os.path.join(tmp, f"fold{k}.bmdl")
        args = [baton, "train", "--fold", str(k), "--folds", str(folds), "--out", model]
        for path in files:
            args += ["--data", path]
        subprocess.run(args, check=True, capture_output=True)
        config = os.path.join(tmp, f"fold{k}.toml")
        with open(config, "w") as f:
            f.write(f"[model]\nfile = {json.dumps(model)}\n")
        rows = [r for r in bitext if fold_of(r[0], folds) == k]
        for (text, intent), s in zip(rows, score(baton, [t for t, _ in rows], config)):
            for which in ("rules", "combined"):
                counts["bitext"].add(which, intent == "contact_human_agent", said(s, which, "explicit_request"))
                if intent == "contact_customer_service":
                    hard_negative_fp[which] += said(s, which, "explicit_request")
            hard_negative_n += intent == "contact_customer_service"
        rows = [r for r in banking if fold_of(r[0], folds) == k]
        for (text, category), s in zip(rows, score(baton, [t for t, _ in rows], config)):
            truth = sources.BANKING77_TOPICS.get(category)
            for which in ("rules", "combined"):
                for topic in LABELS[1:]:
                    counts["banking77"].add((which, topic), truth == topic, said(s, which, topic))
                banking_request_fp[which] += said(s, which, "explicit_request")
    out = {}
    for which in ("rules", "combined"):
        out[which] = {
            "bitext_explicit_request": counts["bitext"].prf(which),
            "bitext_contact_customer_service_fp_rate": hard_negative_fp[which] / hard_negative_n,
            "banking77_topics": {t: counts["banking77"].prf((which, t)) for t in LABELS[1:] if t != "legal"},
            "banking77_explicit_request_fp_rate": banking_request_fp[which] / len(banking),
        }
    return out


def hard_cases(baton):
    path = os.path.join(ROOT, "engine", "models", "eval", "hard_cases.jsonl")
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    scored = score(baton, [r["text"] for r in rows])
    counts = Counts()
    by_kind = collections.defaultdict(lambda: {"rows": 0, "rules": 0, "combined": 0})
    for r, s in zip(rows, scored):
        kind = by_kind[r["kind"]]
        kind["rows"] += 1
        for which in ("rules", "combined"):
            right = True
            for label in LABELS:
                truth, pred = label in r["labels"], said(s, which, label)
                counts.add((which, label), truth, pred)
                right &= truth == pred
            kind[which] += right
    return {
        "rows": len(rows),
        "per_label": {which: {l: counts.prf((which, l)) for l in LABELS} for which in ("rules", "combined")},
        "rows_fully_right_by_kind": dict(sorted(by_kind.items())),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baton", default=os.path.join(ROOT, "target", "release", "baton"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--folds", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = {
            "cross_validated": cross_validated(args.baton, args.shared, args.folds, tmp),
            "hard_cases": hard_cases(args.baton),
        }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
