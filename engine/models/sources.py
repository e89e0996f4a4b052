#!/usr/bin/env python3
"""Write the default model's public training sources as labelled JSONL (`baton train --data`).

    python3 engine/models/sources.py --shared ../shared --out DIR

Reads ../shared/data (see engine/models/README.md for each source and its licence) and writes
DIR/bitext.jsonl, DIR/banking77.jsonl and DIR/vader_tweets.jsonl, one
{"text": ..., "labels": [...]} per row, in the sources' own order. The output depends only on
the input files, so the model built from it is the same byte for byte.

The label policy is the one tools/eval/evaluate.py measures (its BANKING77_TOPICS is imported
from here, so the two cannot drift):
  - explicit_request: Bitext's contact_human_agent;
  - billing_dispute: a charge contested or money asked back, including payments the customer
    does not recognise (banking77), and Bitext's get_refund;
  - account_security: someone else has or may have the card, phone or account;
  - cancellation: closing the account (banking77 terminate_account, Bitext delete_account);
  - frustration: Bitext's complaint intent (a customer filing a complaint) and every Bitext
    row flagged W (offensive language: "cancel the goddamn account"), whatever its intent.
Bitext intents that sit on the billing line either way (track_refund, check_refund_policy,
payment_issue) are left out rather than taught as negatives.
"""
import argparse
import csv
import json
import os

BANKING77_TOPICS = {
    "transaction_charged_twice": "billing_dispute",
    "card_payment_not_recognised": "billing_dispute",
    "direct_debit_payment_not_recognised": "billing_dispute",
    "cash_withdrawal_not_recognised": "billing_dispute",
    "extra_charge_on_statement": "billing_dispute",
    "request_refund": "billing_dispute",
    "Refund_not_showing_up": "billing_dispute",
    "wrong_amount_of_cash_received": "billing_dispute",
    "card_payment_wrong_exchange_rate": "billing_dispute",
    "wrong_exchange_rate_for_cash_withdrawal": "billing_dispute",
    "compromised_card": "account_security",
    "lost_or_stolen_card": "account_security",
    "lost_or_stolen_phone": "account_security",
    "terminate_account": "cancellation",
}

BITEXT_LABELS = {
    "contact_human_agent": ["explicit_request"],
    "delete_account": ["cancellation"],
    "get_refund": ["billing_dispute"],
}
BITEXT_LEFT_OUT = {"track_refund", "check_refund_policy", "payment_issue"}


def clean(text):
    return " ".join(text.split())


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for text, labels in rows:
            f.write(json.dumps({"text": text, "labels": labels}, ensure_ascii=False) + "\n")


def bitext(shared):
    path = os.path.join(shared, "data", "bitext-8k", "Bitext_Sample_Customer_Service_Training_Dataset.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["intent"] in BITEXT_LEFT_OUT:
                continue
            labels = list(BITEXT_LABELS.get(r["intent"], []))
            if r["intent"] == "complaint" or "W" in r["flags"]:
                labels.append("frustration")
            yield clean(r["utterance"]), labels


def banking77(shared):
    with open(os.path.join(shared, "data", "banking77", "train.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            topic = BANKING77_TOPICS.get(r["category"])
            yield clean(r["text"]), [topic] if topic else []


def vader_tweets(shared):
    # Tweet-like texts with no request for a human and no topic: general-domain negatives.
    with open(os.path.join(shared, "data", "vader", "tweets_GroundTruth.txt"), "rb") as f:
        for line in f.read().decode("utf-8").split("\n"):
            parts = line.rstrip("\r").split("\t", 2)
            if len(parts) == 3 and parts[2].strip():
                yield clean(parts[2]), []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, rows in (("bitext", bitext), ("banking77", banking77), ("vader_tweets", vader_tweets)):
        write(os.path.join(args.out, f"{name}.jsonl"), rows(args.shared))


if __name__ == "__main__":
    main()
