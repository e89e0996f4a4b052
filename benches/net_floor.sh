#!/usr/bin/env bash
# Baton's network path against the bare stack (benches/examples/bare_ws.rs), side by side:
# starts `baton serve` (on a fresh data directory, removed afterwards; BATON_SERVE_ARGS=--ephemeral
# for memory only) and `bare_ws`, runs ws_rtt's `compare` (every rate against
# both, alternating which goes first, medians over the rounds), and stops both by PID.
#
#   benches/net_floor.sh [ROUNDS] [SECONDS] [RATES]      (defaults: 3 10 1000,10000,20000)
#
# Extra ws_rtt options can be passed in WS_RTT_ARGS (e.g. WS_RTT_ARGS="--encoding msgpack").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
RATES=${3:-1000,10000,20000}
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p baton-engine --bin baton -p baton-benches --example bare_ws --example ws_rtt
DATA=$(mktemp -d)
# shellcheck disable=SC2086
"$TARGET/release/baton" serve ${BATON_SERVE_ARGS:---data-dir $DATA/baton-data} --listen 127.0.0.1:${BATON_PORT:-17878} --admin 127.0.0.1:${ADMIN_PORT:-19464} >/dev/null 2>&1 &
BATON=$!
"$TARGET/release/examples/bare_ws" --listen 127.0.0.1:${BARE_PORT:-17879} >/dev/null &
BARE=$!
trap 'kill "$BATON" "$BARE" 2>/dev/null || true; wait "$BATON" "$BARE" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for port in "${BATON_PORT:-17878}" "${BARE_PORT:-17879}"; do
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done
# shellcheck disable=SC2086
"$TARGET/release/examples/ws_rtt" compare --rates "$RATES" --seconds "$SECONDS_PER_RUN" \
  --rounds "$ROUNDS" --target "bare=ws://127.0.0.1:${BARE_PORT:-17879}@$BARE" \
  --target "baton=ws://127.0.0.1:${BATON_PORT:-17878}@$BATON" ${WS_RTT_ARGS:-}
