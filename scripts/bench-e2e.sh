#!/usr/bin/env bash
# Measures the whole path of issue 13, pen ink to delivered webhook: one
# `inkform serve` with its default in-process workers (plus NODES-1
# `inkform worker` nodes), a webhook handler for document.validated and
# document.needs_verification pointing at a receiver in `inkload -e2e`, and
# DOCS one-page submissions of the sample form posted closed loop with CONNS
# connections (or open loop at RATE/s). inkload prints documents/s from the
# first POST to the last delivery, p50/p99 POST→webhook, lost and duplicated
# deliveries, the server nodes' CPU seconds per document, its own CPU per
# document, and how busy the machine's cores were.
#
#   scripts/bench-e2e.sh                    # SQLite in a fresh temp directory
#   scripts/bench-e2e.sh 'postgres://postgres@127.0.0.1:5432/bench?sslmode=disable'
#   NODES=2 scripts/bench-e2e.sh 'postgres://…'    # a second (worker) node
#   RATE=150 DOCS=3000 scripts/bench-e2e.sh         # open loop
#   PROFILE=/tmp/e2e.pprof scripts/bench-e2e.sh     # CPU profile of serve
#   API_NODE=1 NODES=2 NODE_CPU=0.3 scripts/bench-e2e.sh 'postgres://…'   # scale-out
#
# DOCS (default 3000), CONNS (16), RATE (0: closed loop), NODES (1),
# INK (examples/wound-check.inkml), SERVE_ARGS (extra flags for every node).
# The data (SQLite and the PDFs) live in a new folder under TMPDIR (/tmp),
# removed at the end unless KEEP=1. Mind the file system: on a journal-less
# ext4 (the development VMs), the kernel makes each new file or folder step
# over every inode deleted in the last one to six minutes, so right after a
# run removed its 6,000 files the next run's new inodes cost 0.1–0.2 ms of
# kernel CPU each instead of 15–30 µs, and back-to-back runs get slower one
# after the other (docs/performance.md, eleventh round). The first line of
# the output gives that cost as measured just before the load (a probe of
# 1,000 new folders); leave a few minutes between runs, or run with KEEP=1
# and remove the folders afterwards, when it is high.
#
# Scale-out on a small machine: with API_NODE=1, serve only takes the ink
# (--workers 0) and NODES `inkform worker` nodes do every job. NODE_CPU=C
# runs each node that works jobs in a CPU cgroup of its own, limited to C
# cores (cgroup v2 cpu.max or v1 cpu.cfs_quota_us; needs root), so that
# doubling the nodes doubles the CPU the work gets while the database, the
# API node and the load generator share what is left.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${DOCS:-3000} conns=${CONNS:-16} rate=${RATE:-0} nodes=${NODES:-1} ink=${INK:-examples/wound-check.inkml}
api_node=${API_NODE:-0} node_cpu=${NODE_CPU:-}
tmp=$(mktemp -d)
pids=() cgroups=()
cleanup() {
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for g in "${cgroups[@]}"; do rmdir "$g" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
# limited NAME CMD…: starts CMD in the background, in a new CPU cgroup of
# NODE_CPU cores when that is set, and adds its PID to pids.
limited() {
  local name=$1; shift
  if [ -z "$node_cpu" ]; then
    "$@" &
    pids+=($!)
    return
  fi
  local period=20000 quota g
  quota=$(python3 -c "print(max(1000, round($node_cpu * $period)))")
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
    g=/sys/fs/cgroup/inkform-e2e-$$-$name
    mkdir "$g" && echo "$quota $period" >"$g/cpu.max"
  elif [ -d /sys/fs/cgroup/cpu ]; then
    g=/sys/fs/cgroup/cpu/inkform-e2e-$$-$name
    mkdir "$g" && echo "$period" >"$g/cpu.cfs_period_us" && echo "$quota" >"$g/cpu.cfs_quota_us"
  else
    echo "NODE_CPU needs a cgroup CPU controller under /sys/fs/cgroup" >&2
    exit 1
  fi
  cgroups+=("$g")
  # The subshell joins the cgroup, then becomes the node, so that the Go
  # runtime sees its limit from the start.
  (echo "$BASHPID" >"$g/cgroup.procs" && exec "$@") &
  pids+=($!)
}
go build -o "$tmp/inkform" ./cmd/inkform
go build -o "$tmp/inkload" ./cmd/inkload
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
store=(--data "$tmp/data")
[ $# -ge 1 ] && store=(--db "$1" --data "$tmp/data")
"$tmp/inkform" migrate "${store[@]}" >/dev/null 2>&1 || true
org="e2e-$(date +%s)-$$"
"$tmp/inkform" org create "$org" "${store[@]}" >/dev/null 2>&1
admin=$("$tmp/inkform" token create --org "$org" --role admin "${store[@]}" 2>/dev/null)
gateway=$("$tmp/inkform" token create --org "$org" --role gateway "${store[@]}" 2>/dev/null)
addr=127.0.0.1:$(freeport) hook=127.0.0.1:$(freeport)
first=2
if [ "$api_node" = 1 ]; then
  # shellcheck disable=SC2086
  "$tmp/inkform" serve --addr "$addr" "${store[@]}" --workers 0 --webhook-allow-private --log-level error \
    ${PROFILE:+--cpu-profile "$PROFILE"} ${SERVE_ARGS:-} &
  pids+=($!)
  first=1
else
  # shellcheck disable=SC2086
  limited serve "$tmp/inkform" serve --addr "$addr" "${store[@]}" --webhook-allow-private --log-level error \
    ${PROFILE:+--cpu-profile "$PROFILE"} ${SERVE_ARGS:-}
fi
for i in $(seq "$first" "$nodes"); do
  # shellcheck disable=SC2086
  limited "worker$i" "$tmp/inkform" worker --admin-addr "127.0.0.1:$(freeport)" "${store[@]}" \
    --webhook-allow-private --log-level error ${SERVE_ARGS:-}
done
for _ in $(seq 100); do curl -sf "http://$addr/readyz" >/dev/null && break; sleep 0.1; done
# The sample's page address must be free in this database: use a fresh one.
page="73.$((RANDOM % 1000)).$((RANDOM % 1000)).5"
sed "s/70\.3\.12\.5/$page/" examples/wound-check.json >"$tmp/form.json"
sed "s/70\.3\.12\.5/$page/" "$ink" >"$tmp/ink.inkml"
auth=(-H "Authorization: Bearer $admin" -H 'Content-Type: application/json')
form=$(curl -sf "${auth[@]}" --data-binary @"$tmp/form.json" "http://$addr/api/v1/forms" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "${auth[@]}" "http://$addr/api/v1/forms/$form/handlers" \
  --data-binary "{\"type\":\"webhook\",\"url\":\"http://$hook/hook\",\"events\":[\"document.validated\",\"document.needs_verification\"]}" >/dev/null
# The database server's CPU is counted too when it runs on this machine.
case "${1:-}" in
postgres*) dbprocs=postgres ;;
mysql*) dbprocs=mariadbd,mysqld ;;
*) dbprocs= ;;
esac
# Kernel CPU per new folder just now: the cost of the inodes the run makes.
inode_us=$(python3 -c '
import os, resource, sys
d = sys.argv[1]; os.mkdir(d)
t = resource.getrusage(resource.RUSAGE_SELF).ru_stime
for i in range(1000): os.mkdir(f"{d}/{i}")
print(round((resource.getrusage(resource.RUSAGE_SELF).ru_stime - t) * 1000))' "$tmp/inode-probe")
echo "== $(git rev-parse --short HEAD) store=${1:-sqlite} nodes=$nodes api_node=$api_node node_cpu=${node_cpu:-all} $(nproc) cores, ink $(wc -c <"$tmp/ink.inkml") bytes, data in $tmp (new inode ${inode_us} µs)"
"$tmp/inkload" -e2e "$docs" -receive "$hook" -url "http://$addr/api/v1/ink" -token "$gateway" -file "$tmp/ink.inkml" \
  -c "$conns" -rate "$rate" -pids "$(IFS=,; echo "${pids[*]}")" -db-procs "$dbprocs"
# Job attempts per document by queue and outcome: snoozes and retries are
# work the documents did not need.
{ curl -sf "http://$addr/metrics" || true; } | awk -v docs="$docs" '
  /^inkform_job_attempts_total\{/ { match($0, /queue="[^"]*"/); q = substr($0, RSTART+7, RLENGTH-8)
    match($0, /outcome="[^"]*"/); o = substr($0, RSTART+9, RLENGTH-10); n[q " " o] += $NF }
  /^inkform_job_duration_seconds_(sum|count)\{/ { match($0, /queue="[^"]*"/); q = substr($0, RSTART+7, RLENGTH-8)
    if ($0 ~ /_sum\{/) dsum[q] += $NF; else dcount[q] += $NF }
  END { printf "job attempts per document (serve node):"; for (k in n) printf "  %s %.2f", k, n[k] / docs; print ""
    printf "mean job duration (serve node):"; for (q in dcount) if (dcount[q] > 0) printf "  %s %.1f ms", q, 1000 * dsum[q] / dcount[q]; print "" }'
