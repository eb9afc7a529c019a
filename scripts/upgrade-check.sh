#!/usr/bin/env bash
# Rolling-upgrade check: the previous release's binary must keep working on
# the schema the current binary migrates to (docs/deploy.md, "Rolling
# upgrades"). It
#   1. builds the commit named in deploy/previous-release from this clone's
#      own history (git archive: no tags or network needed) and the current
#      tree;
#   2. migrates a fresh database with the current binary;
#   3. runs the previous binary on it (serve with --migrate=false, workers
#      in the same process) and its smoke test: create an org and tokens,
#      post the sample form and ink, wait until the document is interpreted,
#      and fetch its PDF.
#
#   scripts/upgrade-check.sh DSN [NEW_BINARY]
#     DSN          an empty database (postgres://… or mysql://…), or a path
#                  ending in .db for SQLite
#     NEW_BINARY   a binary of the current tree (built when not given)
#
# Exits non-zero when any step fails, printing the old node's log.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== upgrade-check: %s\n' "$*" >&2; }
fail() { printf '== upgrade-check: FAIL: %s\n' "$*" >&2; [ -f "${tmp:-}/old.log" ] && tail -n 30 "$tmp/old.log" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: scripts/upgrade-check.sh DSN [NEW_BINARY]" >&2; exit 2; }
dsn=$1

tmp=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

prev=$(grep -Ev '^\s*(#|$)' deploy/previous-release | head -n 1)
git cat-file -e "$prev^{commit}" 2>/dev/null || fail "deploy/previous-release names $prev, which is not in this clone's history"
log "building the previous release $(git rev-parse --short=12 "$prev") and the current tree"
mkdir "$tmp/old-src"
git archive "$prev" | tar -x -C "$tmp/old-src"
(cd "$tmp/old-src" && go build -ldflags "-X main.version=previous -X main.commit=$(git -C "$OLDPWD" rev-parse --short=12 "$prev")" -o "$tmp/old" ./cmd/inkform)
new=${2:-}
if [ -z "$new" ]; then
  go build -o "$tmp/new" ./cmd/inkform
  new=$tmp/new
fi

store=(--db "$dsn")
secret=$(openssl rand -base64 32)
export INKFORM_SECRET_KEY=$secret
log "migrating with the current binary ($("$new" version | head -n 1))"
"$new" migrate "${store[@]}" >/dev/null 2>&1 || fail "the current binary could not migrate $dsn"

log "the previous binary on the new schema: $("$tmp/old" version | head -n 1)"
org="upgrade-$(date +%s)-$$"
"$tmp/old" org create "$org" "${store[@]}" --migrate=false >/dev/null 2>"$tmp/old.log" || fail "old binary: org create"
admin=$("$tmp/old" token create --org "$org" --role admin "${store[@]}" --migrate=false 2>>"$tmp/old.log") || fail "old binary: token create"
port=$(freeport)
"$tmp/old" serve --addr "127.0.0.1:$port" "${store[@]}" --migrate=false --data "$tmp/data" --workers 2 \
  --poll-interval 50ms --log-level warn >>"$tmp/old.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/readyz" >/dev/null || fail "the previous binary is not ready on the new schema: $(curl -s "$base/readyz")"

page="71.$((RANDOM % 1000)).$((RANDOM % 1000)).5"
sed "s/70\.3\.12\.5/$page/" examples/wound-check.json >"$tmp/form.json"
sed "s/70\.3\.12\.5/$page/" examples/wound-check.inkml >"$tmp/ink.inkml"
auth=(-H "Authorization: Bearer $admin")
curl -sf "${auth[@]}" -H 'Content-Type: application/json' --data-binary @"$tmp/form.json" "$base/api/v1/forms" >/dev/null ||
  fail "old binary: POST /api/v1/forms"
doc=$(curl -sf "${auth[@]}" -H 'Content-Type: application/inkml+xml' -H "Idempotency-Key: upgrade-$$" \
  --data-binary @"$tmp/ink.inkml" "$base/api/v1/ink") || fail "old binary: POST /api/v1/ink"
id=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print((d.get("documents") or [d])[0]["id"])' <<<"$doc") ||
  fail "old binary: no document in the answer to POST /api/v1/ink: $doc"
status=received
for _ in $(seq 150); do
  status=$(curl -sf "${auth[@]}" "$base/api/v1/documents/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])') || status=error
  [ "$status" != received ] && break
  sleep 0.1
done
case "$status" in validated|needs_verification) ;; *) fail "old binary: document $id is $status after 15 s, want interpreted" ;; esac
code=000
for _ in $(seq 150); do
  code=$(curl -s "${auth[@]}" -o "$tmp/doc.pdf" -w '%{http_code}' "$base/api/v1/documents/$id/pdf")
  [ "$code" = 200 ] && break
  sleep 0.1
done
[ "$code" = 200 ] || fail "old binary: GET …/pdf answered $code after 15 s"
head -c 5 "$tmp/doc.pdf" | grep -q '%PDF-' || fail "old binary: the PDF does not start with %PDF-"
if grep -Eiq 'panic|level=ERROR' "$tmp/old.log"; then fail "old binary logged errors"; fi
log "ok: the previous release interpreted document $id ($status) and rendered its PDF on the new schema"
