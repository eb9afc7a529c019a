#!/usr/bin/env bash
# Measures `inkform backup` and `inkform restore` on a system of DOCS
# documents (default 10,000) made by the real server from the sample page
# (57 KB InkML, 40 strokes): ink, interpretation and a rendered PDF each.
# Prints the time and size of the archive, the time of a restore into a new
# SQLite system and, when a DSN is given, into that (empty) database too.
#
#   scripts/bench-backup.sh
#   DOCS=2000 scripts/bench-backup.sh 'postgres://postgres@127.0.0.1:5432/restore_bench?sslmode=disable'
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${DOCS:-10000}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/inkform" ./cmd/inkform
go build -o "$tmp/inkload" ./cmd/inkload
store=(--data "$tmp/src")
addr=127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tmp/inkform" org create bench "${store[@]}" 2>/dev/null
admin=$("$tmp/inkform" token create --org bench --role admin "${store[@]}" 2>/dev/null)
gateway=$("$tmp/inkform" token create --org bench --role gateway "${store[@]}" 2>/dev/null)
"$tmp/inkform" serve --addr "$addr" "${store[@]}" --log-level error &
pid=$!
for _ in $(seq 100); do curl -sf "http://$addr/readyz" >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
     --data-binary @examples/wound-check.json "http://$addr/api/v1/forms" >/dev/null
"$tmp/inkload" -url "http://$addr/api/v1/ink" -token "$gateway" -c 16 -n "$docs" -warmup 0 -duration 1h >/dev/null
# Wait until the workers have interpreted and rendered everything.
# (Periodic maintenance jobs wait in the future: only due or running jobs count.)
busy() { curl -sf "http://$addr/metrics" | grep -E '^inkform_(jobs\{.*state="running"|job_oldest_due_seconds)' | grep -vq ' 0$'; }
sleep 2; while busy; do sleep 2; done
echo "== $(git rev-parse --short HEAD) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), system $(du -sh "$tmp/src" | cut -f1)"
t0=$(date +%s.%N)
"$tmp/inkform" backup --to "$tmp/archive" "${store[@]}" --log-level error
t1=$(date +%s.%N)
echo "backup (server running, idle): $(python3 -c "print(round($t1-$t0,1))") s, archive $(du -sh "$tmp/archive" | cut -f1)"
du -sh "$tmp/archive/db" "$tmp/archive/objects"
kill $pid; wait $pid 2>/dev/null || true
t0=$(date +%s.%N)
"$tmp/inkform" restore --from "$tmp/archive" --data "$tmp/dst" --log-level error
t1=$(date +%s.%N)
echo "restore into SQLite: $(python3 -c "print(round($t1-$t0,1))") s"
if [ $# -ge 1 ]; then
  t0=$(date +%s.%N)
  "$tmp/inkform" restore --from "$tmp/archive" --db "$1" --data "$tmp/dst2" --log-level error
  t1=$(date +%s.%N)
  echo "restore into ${1%%:*}: $(python3 -c "print(round($t1-$t0,1))") s"
fi
