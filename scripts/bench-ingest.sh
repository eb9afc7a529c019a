#!/usr/bin/env bash
# Measures durable ingest of the sample page (57 KB InkML, 40 strokes) through
# the real server: open loop at a fixed rate for latency, then closed loop for
# throughput. Loopback only.
#
#   scripts/bench-ingest.sh                 # SQLite in a fresh temp directory
#   scripts/bench-ingest.sh 'postgres://postgres@127.0.0.1:5432/bench?sslmode=disable'
#   WORKERS=2 RATE=1000 DURATION=15s scripts/bench-ingest.sh
#
# WORKERS (default 0: an API-only node, as behind a load balancer with separate
# worker nodes), RATE (default 1000/s), DURATION (default 10s), CONNS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${WORKERS:-0} rate=${RATE:-1000} duration=${DURATION:-10s} conns=${CONNS:-64}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/inkform" ./cmd/inkform
go build -o "$tmp/inkload" ./cmd/inkload
store=(--data "$tmp/data")
[ $# -ge 1 ] && store=(--db "$1")
addr=127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
org="bench-$(date +%s)-$$"
"$tmp/inkform" org create "$org" "${store[@]}" 2>/dev/null
admin=$("$tmp/inkform" token create --org "$org" --role admin "${store[@]}" 2>/dev/null)
gateway=$("$tmp/inkform" token create --org "$org" --role gateway "${store[@]}" 2>/dev/null)
"$tmp/inkform" serve --addr "$addr" "${store[@]}" --workers "$workers" --log-level error &
pid=$!
for _ in $(seq 100); do curl -sf "http://$addr/readyz" >/dev/null && break; sleep 0.1; done
# The sample's page address must be free in this database: use a fresh one.
page="70.$((RANDOM % 1000)).$((RANDOM % 1000)).5"
sed "s/70\.3\.12\.5/$page/" examples/wound-check.json > "$tmp/form.json"
sed "s/70\.3\.12\.5/$page/" examples/wound-check.inkml > "$tmp/ink.inkml"
curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
     --data-binary @"$tmp/form.json" "http://$addr/api/v1/forms" >/dev/null
echo "== $(git rev-parse --short HEAD) store=${1:-sqlite} workers=$workers $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Open loop first: after a closed-loop run SQLite checkpoints a WAL of a few
# hundred MB, and the writer's fsyncs wait behind it for ~0.6 s, which would
# show in the open loop's tail rather than the steady state it measures.
"$tmp/inkload" -url "http://$addr/api/v1/ink" -token "$gateway" -file "$tmp/ink.inkml" -c "$conns" -duration "$duration" -rate "$rate"
"$tmp/inkload" -url "http://$addr/api/v1/ink" -token "$gateway" -file "$tmp/ink.inkml" -c "$conns" -duration "$duration"
