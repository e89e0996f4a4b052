#!/usr/bin/env python3
"""The frustration score against VADER's compound alone, and the fit of its weights.

    cargo build --release -p baton-engine
    python3 tools/eval/frustration_eval.py [--baton target/release/baton] [--shared ../shared]
                                           [--folds 7] [--fit]

What it measures (AUC: the chance that a frustrated row scores above a calm one, ties half):

- engine/models/eval/frustration_messages.jsonl (written for this project, never trained on):
  the message score of `baton score` against -compound, overall and per set (chat, social);
- engine/models/eval/frustration_conversations.jsonl: the conversation score after the last
  turn (`baton replay` with every other trigger off, tools/eval/frustration_replay.toml)
  against -compound of the last customer message and against -EWMA of compound;
- Bitext's complaints and offensive-language rows against the rest, by cross-validation (the
  default model trains on them): `baton train --fold k` without fold k, fold k scored with it.

With --fit it also fits the message weights of `[frustration.weights]` (with the model's
frustration head) and `[frustration.without_model]` (cues and compound alone, for a model
without the head or `[model] enabled = false`) by logistic regression on out-of-fold features of the whole training data (the fold models' head probabilities, the
compound and the cue counts of `baton score`), and prints them as TOML. `repeated` and
`slope` read a conversation and cannot be fitted on single messages; they are printed as
configured. Each weight keeps the sign of its signal (a weight of the wrong sign is held at
zero). No third-party packages are needed.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_eval  # noqa: E402

EVAL = os.path.join(ROOT, "engine", "models", "eval")
FEATURES = ["model", "negative", "positive", "persistence", "waiting", "complaint", "profanity",
            "shouting", "punctuation"]


def auc(pairs):
    """Mann-Whitney AUC of (score, truth) pairs, ties counted half."""
    pairs = sorted(pairs, key=lambda p: p[0])
    pos = sum(1 for _, y in pairs if y)
    neg = len(pairs) - pos
    if not pos or not neg:
        return None
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # mean 1-based rank of the tied run
        rank_sum += mid * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return round((rank_sum - pos * (pos + 1) / 2) / (pos * neg), 4)


def features(s):
    f = s["frustration"]
    p = (s.get("model") or {}).get("frustration")
    head = 0.0 if p is None else math.log(min(max(p, 1e-4), 1 - 1e-4) / (1 - min(max(p, 1e-4), 1 - 1e-4)))
    c = s["compound"]
    return [head, max(-c, 0.0), max(c, 0.0), min(f["persistence"], 2), min(f["waiting"], 2),
            min(f["complaint"], 2), min(f["profanity"], 2), f["shouting"], min(f["punctuation"], 2)]


def out_of_fold(baton, shared, folds, tmp):
    """(row source, text, frustrated, baton score line) for every training row, each scored by
    the fold model that did not see it."""
    data = os.path.join(tmp, "src")
    subprocess.run([sys.executable, os.path.join(ROOT, "engine", "models", "sources.py"),
                    "--shared", shared, "--out", data], check=True)
    files = {name: os.path.join(data, f"{name}.jsonl") for name in ("bitext", "banking77", "vader_tweets")}
    files["supplement"] = os.path.join(ROOT, "engine", "models", "train", "supplement.jsonl")
    rows = []
    for name, path in files.items():
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            rows.append((name, r["text"], "frustration" in r["labels"]))
    out = []
    for k in range(folds):
        model = os.path.join(tmp, f"fold{k}.bmdl")
        args = [baton, "train", "--fold", str(k), "--folds", str(folds), "--out", model]
        for path in files.values():
            args += ["--data", path]
        subprocess.run(args, check=True, capture_output=True)
        config = os.path.join(tmp, f"fold{k}.toml")
        with open(config, "w") as f:
            f.write(f"[model]\nfile = {json.dumps(model)}\n")
        mine = [r for r in rows if model_eval.fold_of(r[1], folds) == k]
        for r, s in zip(mine, model_eval.score(baton, [t for _, t, _ in mine], config)):
            out.append((r[0], r[1], r[2], s))
    return out


# The sign each weight must have: a cue that raises frustration never lowers the score, a
# positive compound never raises it. Without this the fit, which already has the model head
# (trained on the same cues), gives small negative weights to profanity or `!!` that would
# turn against the customer under a model of one's own.
SIGN = {"model": 1, "negative": 1, "positive": -1, "persistence": 1, "waiting": 1,
        "complaint": 1, "profanity": 1, "shouting": 1, "punctuation": 1}


def fit(rows, with_model=True):
    """Sign-constrained logistic regression (active set): fit, hold every weight of the wrong
    sign at zero, refit the rest, until none is wrong. Without the model, its weight is held
    at zero from the start: the weights `[frustration.without_model]` for a model with no
    frustration head, or none."""
    x = [features(s) + [1.0] for _, _, _, s in rows]
    y = [1.0 if t else 0.0 for _, _, t, _ in rows]
    free = [a for a, k in enumerate(FEATURES) if with_model or k != "model"]
    while True:
        w = newton([[xi[a] for a in free] + [1.0] for xi in x], y)
        wrong = [a for a, v in zip(free, w) if v * SIGN[FEATURES[a]] < 0]
        if not wrong:
            weights = {k: 0.0 for k in FEATURES}
            for a, v in zip(free, w):
                weights[FEATURES[a]] = v
            return weights, w[-1]
        free = [a for a in free if a not in wrong]


def newton(x, y, l2=1e-3, iterations=30):
    """Logistic regression by Newton's method; the last column is the (unpenalised) bias."""
    d = len(x[0])
    w = [0.0] * d
    for _ in range(iterations):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for xi, yi in zip(x, y):
            z = sum(a * b for a, b in zip(w, xi))
            p = 1 / (1 + math.exp(-max(min(z, 40), -40)))
            g = p - yi
            h = p * (1 - p)
            for a in range(d):
                grad[a] += g * xi[a]
                for b in range(d):
                    hess[a][b] += h * xi[a] * xi[b]
        n = len(x)
        for a in range(d - 1):  # no penalty on the bias
            grad[a] += l2 * n * w[a]
            hess[a][a] += l2 * n
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def solve(a, b):
    """Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n + 1):
                m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def normal(text):
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def trained_on():
    """Texts of the hand-written training rows, normalised: evaluation rows that happen to say
    the same ("ok thanks", "where is my refund") are left out of the measurement."""
    path = os.path.join(ROOT, "engine", "models", "train", "supplement.jsonl")
    return {normal(json.loads(line)["text"]) for line in open(path, encoding="utf-8")}


def messages(baton, config=None):
    seen = trained_on()
    rows = [json.loads(line) for line in open(os.path.join(EVAL, "frustration_messages.jsonl"), encoding="utf-8")]
    left_out = sum(normal(r["text"]) in seen for r in rows)
    rows = [r for r in rows if normal(r["text"]) not in seen]
    scored = model_eval.score(baton, [r["text"] for r in rows], config)
    report = {"left_out_as_trained_on": left_out}
    for name in ("all", "chat", "social"):
        mine = [(r, s) for r, s in zip(rows, scored) if name == "all" or r["set"] == name]
        report[name] = {
            "rows": len(mine),
            "frustrated": sum(r["frustrated"] for r, _ in mine),
            "auc_frustration": auc([(s["frustration"]["score"], r["frustrated"]) for r, s in mine]),
            "auc_vader_compound": auc([(-s["compound"], r["frustrated"]) for r, s in mine]),
            "auc_model_head": auc([((s.get("model") or {}).get("frustration", 0.0), r["frustrated"]) for r, s in mine]),
        }
    return report


def conversations(baton, without_model=None):
    seen = trained_on()
    rows = [json.loads(line) for line in open(os.path.join(EVAL, "frustration_conversations.jsonl"), encoding="utf-8")]
    # A conversation is left out when any customer turn of it was trained on.
    left_out = sum(any(normal(t["text"]) in seen for t in r["turns"] if t["role"] == "customer") for r in rows)
    rows = [r for r in rows if not any(normal(t["text"]) in seen for t in r["turns"] if t["role"] == "customer")]
    lines = []
    for i, r in enumerate(rows):
        turns = [{"role": t["role"], "text": t["text"]} | ({"confidence": 0.9} if t["role"] == "bot" else {})
                 for t in r["turns"]]
        lines.append(json.dumps({"id": i, "turns": turns}))
    config = os.path.join(ROOT, "tools", "eval", "frustration_replay.toml")
    if without_model:
        with open(without_model, "w") as f:
            f.write(open(config).read() + "\n[model]\nenabled = false\n")
        config = without_model
    proc = subprocess.run([baton, "--config", config, "replay"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(rows), (len(out), len(rows))
    escalated = sum(o["escalated"] for o in out)
    # VADER's own view of the conversation: the last customer message, and the EWMA (alpha 0.5).
    customer_texts = [[t["text"] for t in r["turns"] if t["role"] == "customer"] for r in rows]
    flat = [t for texts in customer_texts for t in texts]
    compounds = iter(s["compound"] for s in model_eval.score(baton, flat))
    last, ewma = [], []
    for texts in customer_texts:
        e = None
        for _ in texts:
            c = next(compounds)
            e = c if e is None else 0.5 * c + 0.5 * e
        last.append(c)
        ewma.append(e)
    truth = [r["frustrated"] for r in rows]
    return {
        "left_out_as_trained_on": left_out,
        "conversations": len(rows),
        "frustrated": sum(truth),
        "escalated_by_another_trigger": escalated,
        "auc_frustration_conversation": auc([(o["frustration"]["conversation"], t) for o, t in zip(out, truth)]),
        "auc_frustration_last_message": auc([(o["frustration"]["message"], t) for o, t in zip(out, truth)]),
        "auc_vader_last_compound": auc([(-c, t) for c, t in zip(last, truth)]),
        "auc_vader_ewma_compound": auc([(-e, t) for e, t in zip(ewma, truth)]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baton", default=os.path.join(ROOT, "target", "release", "baton"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--folds", type=int, default=7)
    ap.add_argument("--fit", action="store_true")
    args = ap.parse_args()
    report = {"messages": messages(args.baton), "conversations": conversations(args.baton)}
    with tempfile.TemporaryDirectory() as tmp:
        # The same with `[model] enabled = false`: cues and compound alone
        # (`[frustration.without_model]`).
        off = os.path.join(tmp, "off.toml")
        with open(off, "w") as f:
            f.write("[model]\nenabled = false\n")
        report["messages_without_model"] = {
            k: v for k, v in messages(args.baton, off).items() if k != "left_out_as_trained_on"}
        for v in report["messages_without_model"].values():
            v.pop("auc_model_head", None)
        report["conversations_without_model"] = conversations(
            args.baton, os.path.join(tmp, "replay_off.toml"))
        oof = out_of_fold(args.baton, args.shared, args.folds, tmp)
    bitext = [(s, t) for src, _, t, s in oof if src == "bitext"]
    report["bitext_cross_validated"] = {
        "rows": len(bitext),
        "frustrated": sum(t for _, t in bitext),
        "auc_frustration": auc([(s["frustration"]["score"], t) for s, t in bitext]),
        "auc_vader_compound": auc([(-s["compound"], t) for s, t in bitext]),
    }
    if args.fit:
        report["fit"] = {"rows": len(oof)}
        for name, with_model in (("weights", True), ("without_model", False)):
            weights, bias = fit(oof, with_model)
            report["fit"][name] = {"bias": round(bias, 3),
                                   **{k: round(v, 3) for k, v in weights.items()}}
            # Precision and recall of single messages at candidate thresholds, out of fold,
            # with the fitted weights: where `[escalation] frustration` can sit.
            w = [weights[k] for k in FEATURES]
            scored = [(1 / (1 + math.exp(-(bias + sum(a * b for a, b in zip(w, features(s)))))), t)
                      for _, _, t, s in oof]
            report["fit"][name]["out_of_fold_auc"] = auc(scored)
            at = {}
            for threshold in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
                tp = sum(1 for p, t in scored if p >= threshold and t)
                fp = sum(1 for p, t in scored if p >= threshold and not t)
                fn = sum(1 for p, t in scored if p < threshold and t)
                at[str(threshold)] = {
                    "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                    "recall": round(tp / (tp + fn), 3),
                    "false_alarm_rate": round(fp / sum(1 for _, t in scored if not t), 4)}
            report["fit"][name]["out_of_fold_at_threshold"] = at
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
