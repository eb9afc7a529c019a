#!/usr/bin/env bash
# The cluster test (issue 15): a multi-node inkform under load, with nodes
# killed and restarted, must lose nothing and store nothing twice.
#
#   scripts/cluster-test.sh [--short] [--engines postgres,mysql] [--no-upgrade] [--no-replica]
#
# For each engine (PostgreSQL, then MariaDB/MySQL, on the local servers at
# 127.0.0.1:5432 and :3306 with trust/root access, as .ci/run sets up):
#   - a throw-away database; 2 API nodes (serve --workers 0) behind haproxy
#     (deploy/haproxy/haproxy.cfg, rewritten for loopback and plain HTTP, its
#     check interval shortened) and 2 worker nodes, one shared secret key,
#     one shared object store (a shared --data directory, or S3 when
#     INKFORM_TEST_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY/_BUCKET are set);
#   - a webhook receiver (inkload -receive) subscribed to every document;
#   - load through haproxy with an Idempotency-Key per submission, retried
#     as a pen gateway retries (inkload -keys);
#   - while it runs: an API node and a worker node killed with SIGKILL and
#     restarted, then a rolling restart (SIGTERM, wait, start) of all four;
#   - then it waits for the queue to drain and asserts: every submission
#     the load generator was told was accepted is in the database (0 lost),
#     no document the generator was not told about (0 duplicates), every
#     document interpreted, rendered and delivered (a 2xx in the delivery
#     log and at the receiver); it reports client errors (submissions given
#     up, attempts retried) and duplicate deliveries (the same webhook-id
#     more than once: allowed, deliveries are at least once).
# PostgreSQL also gets a streaming read replica (pg_basebackup -R into a
# second data directory on another port) that the API nodes read through
# --read-db: the test shows lists read from it, read-your-writes with its
# replay paused, the lag metric, and reads falling back to the primary with
# the replica stopped. Its pg_hba.conf replication line is added for the run
# and removed after (scripts need root or the postgres user for that).
# Unless --no-upgrade, the previous release (deploy/previous-release) runs
# its smoke test on the new schema (scripts/upgrade-check.sh).
#
# --short (CI): 20 s of load at 20/s; the default runs 60 s at 30/s and the
# replica's Go test (TestReplicaStreaming). Exits non-zero on any loss,
# duplicate or failed check. Every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

short=0 engines="postgres,mysql" upgrade=1 replica=1
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    --engines) engines=$2; shift ;;
    --no-upgrade) upgrade=0 ;;
    --no-replica) replica=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster-test: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$short" = 1 ]; then duration=20 rate=20; else duration=60 rate=30; fi

log() { printf '== cluster-test: %s\n' "$*" >&2; }
fail() { printf '== cluster-test: FAIL: %s\n' "$*" >&2; failed=1; }
die() { printf '== cluster-test: FAIL: %s\n' "$*" >&2; failed=1; exit 1; }
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitready() { # waitready URL SECONDS [PID]: fails early when PID has exited
  for _ in $(seq $((${2:-20} * 10))); do
    curl -sf -o /dev/null "$1" && return 0
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

tmp=$(mktemp -d)
declare -A pid=() args=()
failed=0 started=$(date +%s)
results="$tmp/results"
: >"$results"
source scripts/cluster-replica.sh # replica_start, replica_stop, hba_undo
cleanup() {
  for p in "${pid[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  replica_stop || true
  hba_undo || true
  [ -n "${drop_db:-}" ] && eval "$drop_db" >/dev/null 2>&1 || true
  if [ "$failed" != 0 ]; then
    # The nodes' logs are what explains a failure: keep them.
    local keep
    keep=$(mktemp -d /tmp/cluster-test-logs.XXXXXX)
    cp "$tmp"/*.log* "$tmp"/*-accepted "$tmp"/*-db "$tmp"/*-deliveries "$keep"/ 2>/dev/null || true
    printf '== cluster-test: logs kept in %s\n' "$keep" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

log "building inkform and inkload"
go build -o "$tmp/inkform" ./cmd/inkform
go build -o "$tmp/inkload" ./cmd/inkload
command -v haproxy >/dev/null || die "haproxy is not installed"

# start NAME: (re)starts a node, or haproxy or the receiver, with the
# arguments recorded for it.
start() {
  local name=$1
  # shellcheck disable=SC2086
  ${args[$name]} >>"$tmp/$name.log" 2>&1 &
  pid[$name]=$!
}
stop_node() { # stop_node NAME SIGNAL
  local p=${pid[$1]}
  kill "-$2" "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
node_url() { echo "http://127.0.0.1:${port[$1]}"; } # serve's address, or worker's --admin-addr

run_engine() {
  local engine=$1 dsn read_db="" run
  run="cl_$(date +%s)_$$"
  case $engine in
    postgres)
      psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $run"
      drop_db="psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS $run WITH (FORCE)'"
      dsn="postgres://postgres@127.0.0.1:5432/$run?sslmode=disable"
      sql() { psql -h 127.0.0.1 -U postgres -d "$run" -AtF ' ' -c "$1"; }
      if [ "$replica" = 1 ]; then
        replica_start "$tmp/replica"
        read_db="postgres://postgres@127.0.0.1:$replica_port/$run?sslmode=disable"
      fi
      ;;
    mysql)
      mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $run"
      drop_db="mariadb -h 127.0.0.1 -u root -e 'DROP DATABASE IF EXISTS $run'"
      dsn="mysql://root@tcp(127.0.0.1:3306)/$run"
      sql() { mariadb -h 127.0.0.1 -u root -N -B "$run" -e "$1" | tr '\t' ' '; }
      ;;
    *) die "unknown engine $engine" ;;
  esac
  log "$engine: database $run${read_db:+, read replica on port $replica_port}"
  local t0
  t0=$(date +%s)
  export INKFORM_SECRET_KEY
  INKFORM_SECRET_KEY=$(openssl rand -base64 32)
  local store="--db $dsn --data $tmp/$engine-shared --webhook-allow-private"
  if [ -n "${INKFORM_TEST_S3_ENDPOINT:-}" ]; then
    export INKFORM_S3_ACCESS_KEY=$INKFORM_TEST_S3_ACCESS_KEY INKFORM_S3_SECRET_KEY=$INKFORM_TEST_S3_SECRET_KEY
    store="$store --blob s3://$INKFORM_TEST_S3_BUCKET/cluster-$run?region=us-east-1&endpoint=$INKFORM_TEST_S3_ENDPOINT&path-style=true"
    # The bucket may not exist yet on a fresh server (409 when it does).
    # (x-amz-content-sha256: the hash of the empty body; curl signs it.)
    curl -s -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" --user "$INKFORM_S3_ACCESS_KEY:$INKFORM_S3_SECRET_KEY" \
      -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" \
      -X PUT "$INKFORM_TEST_S3_ENDPOINT/$INKFORM_TEST_S3_BUCKET" || true
    log "$engine: objects in S3 at $INKFORM_TEST_S3_ENDPOINT/$INKFORM_TEST_S3_BUCKET/cluster-$run"
  else
    log "$engine: objects in a shared directory"
  fi
  "$tmp/inkform" migrate --db "$dsn" >/dev/null 2>&1 || die "$engine: migrate"
  [ -n "$read_db" ] && replica_streaming "$run"
  "$tmp/inkform" org create "$run" --db "$dsn" --data "$tmp/$engine-shared" >/dev/null 2>&1
  local admin gateway
  admin=$("$tmp/inkform" token create --org "$run" --role admin --db "$dsn" --data "$tmp/$engine-shared" 2>/dev/null)
  gateway=$("$tmp/inkform" token create --org "$run" --role gateway --db "$dsn" --data "$tmp/$engine-shared" 2>/dev/null)

  declare -gA port=()
  for n in api1 api2 w1 w2 hook lb; do port[$n]=$(freeport); done
  for n in api1 api2; do
    # --read-db-max-lag 60s: the read-your-writes check pauses the replica's
    # replay, and on a busy machine its requests may take longer than the
    # default 10 s after which a lagging replica is not read at all.
    args[$n]="$tmp/inkform serve --addr 127.0.0.1:${port[$n]} --workers 0 $store ${read_db:+--read-db $read_db --read-db-max-lag 60s}
      --trusted-proxies 127.0.0.1 --drain-delay 1500ms --shutdown-timeout 5s --log-level warn"
  done
  for n in w1 w2; do
    args[$n]="$tmp/inkform worker --admin-addr 127.0.0.1:${port[$n]} --workers 4 --deliver-workers 8 $store
      --poll-interval 100ms --job-lease 5s --shutdown-timeout 5s --log-level warn"
  done
  args[hook]="$tmp/inkload -receive 127.0.0.1:${port[hook]} -out $tmp/$engine-deliveries"
  : >"$tmp/$engine-deliveries"
  for n in api1 api2 w1 w2 hook; do start "$n"; done
  for n in api1 api2 w1 w2; do waitready "$(node_url "$n")/readyz" 30 "${pid[$n]}" || die "$engine: $n is not ready: $(tail -n 5 "$tmp/$n.log")"; done

  # haproxy with the shipped configuration: loopback, plain HTTP (inkload
  # does not trust a throw-away certificate), checks every 500 ms so a
  # rolling restart's drain (1.5 s) is noticed in time.
  sed -e '/^frontend http$/,/^$/d' -e "s#bind :443 ssl crt .*#bind 127.0.0.1:${port[lb]}#" \
    -e "s#10.0.1.5:8080#127.0.0.1:${port[api1]}#" -e "s#10.0.1.6:8080#127.0.0.1:${port[api2]}#" \
    -e 's#inter 2s fall 2 rise 2#inter 500ms fall 2 rise 2#' -e 's#^    maxconn 20000#    maxconn 1000#' \
    -e '/^    user haproxy/d' -e '/^    group haproxy/d' deploy/haproxy/haproxy.cfg >"$tmp/haproxy.cfg"
  args[lb]="haproxy -db -f $tmp/haproxy.cfg"
  start lb
  local base="http://127.0.0.1:${port[lb]}"
  waitready "$base/readyz" 10 || die "$engine: haproxy does not answer"

  local page form handler
  page="72.$((RANDOM % 1000)).$((RANDOM % 1000)).5"
  sed "s/70\.3\.12\.5/$page/" examples/wound-check.json >"$tmp/form.json"
  sed "s/70\.3\.12\.5/$page/" examples/wound-check.inkml >"$tmp/ink.inkml"
  local auth=(-H "Authorization: Bearer $admin")
  form=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' --data-binary @"$tmp/form.json" "$base/api/v1/forms" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "$engine: create the form"
  handler=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' "$base/api/v1/forms/$form/handlers" \
    --data-binary "{\"type\":\"webhook\",\"url\":\"http://127.0.0.1:${port[hook]}/hook\",\"events\":[\"document.validated\",\"document.needs_verification\"]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "$engine: create the webhook handler"

  log "$engine: load at $rate/s for ${duration}s through haproxy; nodes killed and restarted meanwhile"
  "$tmp/inkload" -url "$base/api/v1/ink" -token "$gateway" -file "$tmp/ink.inkml" -rate "$rate" -c 32 \
    -duration "${duration}s" -warmup 0 -keys "$run" -accepted "$tmp/$engine-accepted" >"$tmp/$engine-load.txt" 2>"$tmp/$engine-load.err" &
  local load=$!
  local step=$((duration / 10))
  sleep "$step"
  log "$engine: SIGKILL api1, restart"; stop_node api1 KILL; sleep 1; start api1
  sleep "$step"
  log "$engine: SIGKILL w1, restart"; stop_node w1 KILL; sleep 1; start w1
  sleep "$step"
  log "$engine: rolling restart of api1, api2, w1, w2"
  for n in api1 api2 w1 w2; do
    stop_node "$n" TERM
    start "$n"
    waitready "$(node_url "$n")/readyz" 30 "${pid[$n]}" || fail "$engine: $n not ready after its restart: $(tail -n 3 "$tmp/$n.log")"
    sleep 1.2 # haproxy's rise 2 × 500 ms before the next node goes
  done
  wait "$load" || fail "$engine: the load generator failed: $(tail -n 3 "$tmp/$engine-load.err")"
  cat "$tmp/$engine-load.txt" >&2

  log "$engine: waiting for the queue to drain"
  local pending=1
  for _ in $(seq 240); do
    # The default queue holds the hourly maintenance job, due in an hour.
    pending=$(sql "SELECT COUNT(*) FROM jobs WHERE state IN ('available','running','retryable') AND queue <> 'default'")
    [ "$pending" = 0 ] && break
    sleep 0.5
  done
  [ "$pending" = 0 ] || fail "$engine: $pending jobs still pending after 120 s"

  sql "SELECT d.id, d.status, CASE WHEN r.document_id IS NULL THEN 0 ELSE 1 END,
         (SELECT COUNT(*) FROM handler_deliveries h WHERE h.org_id = d.org_id AND h.document_id = d.id AND h.status_code BETWEEN 200 AND 299)
       FROM documents d LEFT JOIN document_renders r ON r.org_id = d.org_id AND r.document_id = d.id
       JOIN orgs o ON o.id = d.org_id WHERE o.name = '$run'" >"$tmp/$engine-db"
  local dead
  dead=$(sql "SELECT COUNT(*) FROM jobs WHERE state = 'dead'")
  python3 - "$engine" "$tmp/$engine-accepted" "$tmp/$engine-db" "$tmp/$engine-deliveries" "$tmp/$engine-load.txt" "$dead" \
    "$(($(date +%s) - t0))" >>"$results" <<'PY' || failed=1
import re, sys
engine, accepted_f, db_f, deliv_f, load_f, dead, took = sys.argv[1:]
accepted = {}  # document → key
for line in open(accepted_f):
    key, *docs = line.split()
    for d in docs:
        accepted[d] = key
db = {}
for line in open(db_f):
    doc, status, rendered, delivered = line.split()
    db[doc] = (status, rendered == "1", int(delivered))
received = {}   # webhook-id → documents
by_doc = {}
lines = 0
for line in open(deliv_f):
    wid, doc, _ = line.split()
    lines += 1
    received.setdefault(wid, set()).add(doc)
    by_doc.setdefault(doc, set()).add(wid)
load = open(load_f).read()
m = re.search(r"accepted: (\d+)\s+given up: (\d+)\s+attempts retried: (\d+)", load)
acc_n, given_up, retried = (int(x) for x in m.groups()) if m else (len(accepted), -1, -1)
lost = sorted(set(accepted) - set(db))
dupes = sorted(set(db) - set(accepted))
uninterpreted = [d for d, v in db.items() if v[0] == "received"]
unrendered = [d for d, v in db.items() if not v[1]]
undelivered = [d for d, v in db.items() if v[2] == 0 or d not in by_doc]
multi_event = [d for d, w in by_doc.items() if len(w) > 1]
dup_deliveries = lines - len(received)
ok = not (lost or dupes or uninterpreted or unrendered or undelivered or multi_event or given_up != 0 or int(dead) != 0 or acc_n == 0)
print(f"{engine}: accepted {acc_n}, in the database {len(db)}, lost {len(lost)}, duplicate documents {len(dupes)}, "
      f"not interpreted {len(uninterpreted)}, not rendered {len(unrendered)}, not delivered {len(undelivered)}, "
      f"dead jobs {dead}; client errors: {given_up} given up, {retried} attempts retried; "
      f"deliveries {lines}, duplicate deliveries (same webhook-id) {dup_deliveries}, "
      f"documents under two webhook-ids {len(multi_event)}; {took} s — {'ok' if ok else 'FAIL'}")
for name, docs in (("lost", lost), ("duplicate", dupes), ("not interpreted", uninterpreted),
                   ("not rendered", unrendered), ("not delivered", undelivered), ("two webhook-ids", multi_event)):
    if docs:
        print(f"  {name}: {' '.join(docs[:10])}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
  tail -n 1 "$results" >&2

  if [ "$engine" = postgres ] && [ -n "$read_db" ]; then
    replica_checks "$base" "$admin" "$form" "$run"
  fi
  for n in lb api1 api2 w1 w2 hook; do stop_node "$n" KILL; unset "pid[$n]"; done
  if grep -l 'panic' "$tmp"/api*.log "$tmp"/w*.log 2>/dev/null; then fail "$engine: a node panicked"; fi
  for f in "$tmp"/api*.log "$tmp"/w*.log; do mv "$f" "$f.$engine"; done
  if [ "$upgrade" = 1 ] && { [ "$short" = 0 ] || [ "$engine" = postgres ]; }; then
    local up="${run}_up"
    case $engine in
      postgres) psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $up"
        scripts/upgrade-check.sh "postgres://postgres@127.0.0.1:5432/$up?sslmode=disable" "$tmp/inkform" || fail "$engine: upgrade check"
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $up WITH (FORCE)" ;;
      mysql) mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $up"
        scripts/upgrade-check.sh "mysql://root@tcp(127.0.0.1:3306)/$up" "$tmp/inkform" || fail "$engine: upgrade check"
        mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $up" ;;
    esac
  fi
  replica_stop
  eval "$drop_db" >/dev/null 2>&1 || true
  drop_db=""
}

IFS=, read -ra list <<<"$engines"
for engine in "${list[@]}"; do run_engine "$engine"; done

log "results ($(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(($(date +%s) - started)) s in all):"
cat "$results" >&2
[ "$failed" = 0 ] || die "see above"
log "ok"
