# Sourced by scripts/cluster-test.sh: a PostgreSQL streaming replica of the
# local server (127.0.0.1:5432), and the checks the API nodes' --read-db
# must pass against it.
#
# replica_start DIR-UNUSED makes one with pg_basebackup -R in a fresh
# directory owned by the postgres user, on a free port, and starts it. It
# needs wal_level replica (PostgreSQL's default; the script refuses to
# restart a server that has minimal) and a pg_hba.conf line that lets
# postgres connect for replication from 127.0.0.1: when the server has
# none, one marked "# inkform cluster-test" is added and the server
# reloaded; hba_undo removes it. The copy holds a replication slot of its
# own; replica_stop stops the replica, removes its directory and drops the
# slot. Commands run as the postgres user (via runuser when root).

replica_dir="" replica_port="" replica_slot="" hba_added="" pgbin=""

as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -n -u postgres "$@"
  fi
}
pg_primary() { psql -h 127.0.0.1 -U postgres -d postgres -Atc "$1"; }

replica_start() {
  local major level hba
  major=$(pg_primary "SHOW server_version_num")
  major=$((major / 10000))
  pgbin=/usr/lib/postgresql/$major/bin
  [ -x "$pgbin/pg_ctl" ] || die "replica: no $pgbin/pg_ctl for PostgreSQL $major"
  level=$(pg_primary "SHOW wal_level")
  if [ "$level" = minimal ]; then
    die "replica: the server has wal_level=minimal; run ALTER SYSTEM SET wal_level = replica and restart it (the test does not restart a shared server)"
  fi
  hba=$(pg_primary "SHOW hba_file")
  # A line of this run's own (marked with its PID), added even when
  # another run's is there: that run removes its line when it ends, and
  # this replica must keep streaming after that.
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust[[:space:]]*$' "$hba"; then
    printf 'host replication postgres 127.0.0.1/32 trust # inkform cluster-test %s\n' "$$" >>"$hba"
    hba_added=$hba
    pg_primary "SELECT pg_reload_conf()" >/dev/null
  fi
  replica_dir=$(mktemp -d /tmp/inkform-replica.XXXXXX)
  chown postgres: "$replica_dir" 2>/dev/null || true
  chmod 700 "$replica_dir"
  replica_port=$(freeport)
  # A replication slot keeps the WAL the replica still needs: without one a
  # busy primary may recycle it between the copy and the replica's start
  # ("requested WAL segment … has already been removed"). Slots of runs
  # that died without removing theirs would keep WAL forever: dropped.
  local slot
  for slot in $(pg_primary "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'inkform_cluster_%' AND NOT active"); do
    kill -0 "${slot##*_}" 2>/dev/null || pg_primary "SELECT pg_drop_replication_slot('$slot')" >/dev/null || true
  done
  replica_slot="inkform_cluster_$$"
  as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$replica_dir/data" -R -X stream -c fast \
    -C -S "$replica_slot" || die "replica: pg_basebackup failed"
  # Debian keeps the configuration outside the data directory, so the copy
  # has none: the replica's own, on loopback and its own port.
  as_pg sh -c "cat >'$replica_dir/data/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $replica_port
unix_socket_directories = '$replica_dir'
hot_standby = on
max_connections = 100
CONF
  as_pg sh -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >'$replica_dir/data/pg_hba.conf'"
  as_pg "$pgbin/pg_ctl" -D "$replica_dir/data" -l "$replica_dir/log" -w -t 60 start >/dev/null ||
    die "replica: did not start: $(tail -n 5 "$replica_dir/log")"
  [ "$(psql -h 127.0.0.1 -p "$replica_port" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()')" = t ] ||
    die "replica: the copy is not in recovery"
}

# replica_streaming DB: waits until the replica streams from the primary and
# has replayed DB's migrations (a replica that cannot connect stays at its
# base backup, which the nodes must then not read — but the test needs one
# that works).
replica_streaming() {
  for _ in $(seq 100); do
    if [ "$(on_replica "$1" "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ] &&
      [ "$(on_replica "$1" "SELECT to_regclass('tokens') IS NOT NULL" 2>/dev/null)" = t ]; then
      return 0
    fi
    sleep 0.1
  done
  die "replica: not streaming the primary's changes after 10 s: $(tail -n 3 "$replica_dir/log")"
}

replica_stop() {
  [ -n "$replica_dir" ] || return 0
  as_pg "$pgbin/pg_ctl" -D "$replica_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$replica_dir"
  replica_dir=""
  if [ -n "$replica_slot" ]; then
    pg_primary "SELECT pg_drop_replication_slot('$replica_slot')" >/dev/null 2>&1 || true
    replica_slot=""
  fi
}

hba_undo() {
  [ -n "$hba_added" ] || return 0
  sed -i "/# inkform cluster-test $$\$/d" "$hba_added"
  pg_primary "SELECT pg_reload_conf()" >/dev/null
  hba_added=""
}

# metric URL REGEX sums the values of the metric lines matching REGEX.
metric() { curl -sf "$1/metrics" | awk -v re="$2" '$0 !~ /^#/ && $1 ~ re { s += $2 } END { printf "%g\n", s + 0 }'; }
on_replica() { psql -h 127.0.0.1 -p "$replica_port" -U postgres -d "$1" -Atc "$2"; }

# replica_checks BASE ADMIN FORM DB: lists from the replica, read-your-writes,
# the lag metric, and the fallback with the replica stopped.
replica_checks() {
  local base=$1 admin=$2 form=$3 db=$4 before after n1 n2 txn0 txn1
  local auth=(-H "Authorization: Bearer $admin")
  local nodes=("http://127.0.0.1:${port[api1]}" "http://127.0.0.1:${port[api2]}")
  log "postgres: read replica checks"
  before=$(( $(metric "${nodes[0]}" 'inkform_db_reads_total.*pool="replica"') + $(metric "${nodes[1]}" 'inkform_db_reads_total.*pool="replica"') ))
  txn0=$(on_replica "$db" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  local path code
  for _ in $(seq 10); do
    for path in "/api/v1/documents?limit=5" "/api/v1/forms/$form/feed"; do
      code=$(curl -s -o "$tmp/answer" -w '%{http_code}' "${auth[@]}" "$base$path")
      [ "$code" = 200 ] || fail "replica: GET $path: $code $(head -c 300 "$tmp/answer")"
    done
  done
  after=$(( $(metric "${nodes[0]}" 'inkform_db_reads_total.*pool="replica"') + $(metric "${nodes[1]}" 'inkform_db_reads_total.*pool="replica"') ))
  txn1=$(on_replica "$db" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  [ $((after - before)) -ge 20 ] || fail "replica: 20 lists and feeds made $((after - before)) replica reads, want ≥ 20"
  printf 'postgres replica: 20 lists/feeds → %d reads on the replica (inkform_db_reads_total), its xact_commit %s → %s\n' \
    $((after - before)) "$txn0" "$txn1" >>"$results"

  # Read-your-writes, with the replica's replay paused so that it lags for
  # certain: the writer's next read sees the change, a reader without the
  # writer's cookie still reads the replica's older copy.
  local doc old new got_writer got_other lag
  doc=$(curl -sf "${auth[@]}" "$base/api/v1/documents?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["id"])') ||
    { fail "replica: no document to change"; return; }
  old=$(curl -sf "${auth[@]}" "$base/api/v1/documents/$doc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fields"]["patient_no"]["value"])')
  new=$(printf '%06d' $(( (10#$old + 1) % 1000000 )))
  on_replica "$db" "SELECT pg_wal_replay_pause()" >/dev/null
  sleep 0.5
  curl -sf -o /dev/null -c "$tmp/jar" -b "$tmp/jar" "${auth[@]}" -X PATCH -H 'Content-Type: application/json' \
    --data-binary "{\"fields\":{\"patient_no\":\"$new\"}}" "$base/api/v1/documents/$doc" || fail "replica: PATCH the document"
  got_writer=$(curl -sf -b "$tmp/jar" "${auth[@]}" "$base/api/v1/documents/$doc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fields"]["patient_no"]["value"])')
  got_other=$(curl -sf "${auth[@]}" "$base/api/v1/documents/$doc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fields"]["patient_no"]["value"])')
  sleep 1
  lag=$(metric "${nodes[0]}" '^inkform_db_replica_lag_seconds$')
  on_replica "$db" "SELECT pg_wal_replay_resume()" >/dev/null
  [ "$got_writer" = "$new" ] || fail "replica: the writer read $got_writer after writing $new (read-your-writes)"
  [ "$got_other" = "$old" ] || fail "replica: another client read $got_other from a paused replica, want the old $old (was it read at all?)"
  awk -v l="$lag" 'BEGIN { exit !(l >= 0.5) }' || fail "replica: lag metric $lag s with replay paused 1.5 s, want ≥ 0.5"
  printf 'postgres replica: replay paused: the writer read its change (%s), another client the replica'"'"'s copy (%s); inkform_db_replica_lag_seconds %s\n' \
    "$got_writer" "$got_other" "$lag" >>"$results"

  # The replica stopped: reads fall back to the primary, nodes stay ready.
  as_pg "$pgbin/pg_ctl" -D "$replica_dir/data" -m fast -w stop >/dev/null
  n1=0
  for _ in $(seq 10); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/api/v1/documents?limit=5")" = 200 ] && n1=$((n1 + 1))
  done
  n2=$(( $(metric "${nodes[0]}" 'reason="replica_down"') + $(metric "${nodes[1]}" 'reason="replica_down"') ))
  [ "$n1" = 10 ] || fail "replica: $n1 of 10 lists answered 200 with the replica stopped"
  [ "$n2" -ge 1 ] || fail "replica: no read counted as replica_down with the replica stopped"
  [ "$(metric "${nodes[0]}" '^inkform_db_replica_up$')" = 0 ] || fail "replica: inkform_db_replica_up is not 0 with the replica stopped"
  curl -sf -o /dev/null "${nodes[0]}/readyz" || fail "replica: api1 not ready with the replica stopped"
  printf 'postgres replica: stopped → %d of 10 lists answered 200 from the primary (%d reads counted replica_down), inkform_db_replica_up 0, /readyz 200\n' \
    "$n1" "$n2" >>"$results"
  if [ "$short" = 0 ]; then
    as_pg "$pgbin/pg_ctl" -D "$replica_dir/data" -l "$replica_dir/log" -w start >/dev/null
    INKFORM_TEST_POSTGRES_DSN="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" \
      INKFORM_TEST_POSTGRES_REPLICA_DSN="postgres://postgres@127.0.0.1:$replica_port/postgres?sslmode=disable" \
      go test -count=1 -run 'TestReplica' ./sqlstore >&2 || fail "replica: go test -run TestReplica ./sqlstore"
  fi
}
