#!/usr/bin/env bash
# Rebuilds the shipped model (engine/models/default.bmdl) from its sources, byte for byte:
#
#   engine/models/rebuild.sh [SHARED]          (default ../shared; needs python3 and cargo)
#   engine/models/rebuild.sh [SHARED] --check  (rebuild into target/ and compare; CI runs this)
#
# The sources are listed in engine/models/README.md with their licences.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${1:-../shared}
OUT=engine/models/default.bmdl
[ "${2:-}" = "--check" ] && OUT=target/rebuilt-default.bmdl
SRC=target/model-sources
mkdir -p target
python3 engine/models/train/supplement_gen.py --check >/dev/null
python3 engine/models/sources.py --shared "$SHARED" --out "$SRC"
cargo build --release -q -p baton-engine --bin baton
./target/release/baton train --seed 1 \
    --data "$SRC/bitext.jsonl" --data "$SRC/banking77.jsonl" --data "$SRC/vader_tweets.jsonl" \
    --data engine/models/train/supplement.jsonl --out "$OUT"
if [ "${2:-}" = "--check" ]; then
    cmp "$OUT" engine/models/default.bmdl && echo "the shipped model rebuilds byte for byte"
fi
