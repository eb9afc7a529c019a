#!/usr/bin/env bash
# Checks the deployment files in deploy/ with the tools that read them:
#   - the Dockerfile's build command, run here: a static binary that reports
#     the version it was built with (Docker itself is not needed);
#   - systemd-analyze verify and security --offline on the systemd units;
#   - haproxy -c on deploy/haproxy/haproxy.cfg;
#   - nginx -t on deploy/nginx/inkform.conf, inside a throw-away nginx.conf;
#   - then a smoke run: two inkform nodes on loopback, and haproxy and nginx
#     with these configurations on free loopback ports (addresses rewritten):
#     /metrics refused however spelled, port 80 redirects, bodies over
#     10 MiB refused, requests reach the nodes, and (haproxy) a node sent
#     SIGTERM is taken out by the /readyz check within its --drain-delay.
# A throw-away self-signed certificate stands in for the real one. A missing
# tool fails the check unless CHECK_DEPLOY_SKIP_MISSING=1. Every process it
# starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

check_name=check-deploy
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh

tmp=$(mktemp -d)
pids=()
nginx_conf=""
cleanup() {
  if [ -n "$nginx_conf" ] && [ -f "$tmp/nginx/run/nginx.pid" ]; then nginx -p "$tmp/nginx/run" -c "$nginx_conf" -s stop 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; fail "nothing listens on 127.0.0.1:$1"; }
status() { curl -sk -o /dev/null -w '%{http_code}' "$@" || true; }
expect() { # expect WHAT WANT GOT
  [ "$3" = "$2" ] || fail "$1: got $3, want $2"
}

# --- Dockerfile: its build command, and a static binary ----------------------
log "Dockerfile build command (CGO_ENABLED=0, -X main.version)"
grep -q '^RUN CGO_ENABLED=0 go build .*-ldflags ".*-X main.version=\${VERSION}' deploy/Dockerfile ||
  fail "deploy/Dockerfile no longer builds with CGO_ENABLED=0 and -X main.version=\${VERSION}"
grep -q '^FROM scratch' deploy/Dockerfile || fail "deploy/Dockerfile: the final stage is not scratch"
grep -Eq '^USER [0-9]+:[0-9]+$' deploy/Dockerfile || fail "deploy/Dockerfile: USER is not numeric uid:gid"
version="v0.0.0-check-deploy"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${version}" -o "$tmp/inkform" ./cmd/inkform
file "$tmp/inkform" | grep -q 'statically linked' || fail "the binary is not static: $(file "$tmp/inkform")"
if ldd "$tmp/inkform" >/dev/null 2>&1; then fail "ldd lists libraries of the binary: $(ldd "$tmp/inkform")"; fi
"$tmp/inkform" version | grep -q -- "$version" || fail "inkform version does not report $version: $("$tmp/inkform" version)"

# --- systemd units -----------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  log "systemd-analyze verify and security --offline"
  mkdir "$tmp/units"
  for unit in inkform-api inkform-worker; do
    # verify checks that ExecStart's binary exists: point it at the one just built.
    sed "s#/usr/local/bin/inkform#$tmp/inkform#" "deploy/systemd/$unit.service" >"$tmp/units/$unit.service"
  done
  # verify warns about unknown keys or sections without failing: any output fails.
  out=$(systemd-analyze verify "$tmp"/units/*.service 2>&1) || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
  for unit in inkform-api inkform-worker; do
    # --threshold is tenths: exposure above 2.0 fails.
    systemd-analyze security --offline=true --threshold=20 "$tmp/units/$unit.service" >"$tmp/security.txt" 2>&1 ||
      fail "systemd-analyze security $unit: $(tail -n 3 "$tmp/security.txt")"
  done
  for var in INKFORM_SECRET_KEY INKFORM_DB INKFORM_BLOB; do
    grep -q "^$var=" deploy/systemd/inkform.env.example || fail "inkform.env.example does not set $var"
  done
else
  missing systemd-analyze
fi

# --- a throw-away certificate --------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/combined.pem"

# --- haproxy -----------------------------------------------------------------
if command -v haproxy >/dev/null; then
  log "haproxy -c ($(haproxy -v | head -n 1 | cut -d' ' -f3))"
  sed "s#/etc/haproxy/certs/inkform.pem#$tmp/combined.pem#" deploy/haproxy/haproxy.cfg >"$tmp/haproxy.cfg"
  out=$(haproxy -c -f "$tmp/haproxy.cfg" 2>&1) || fail "haproxy -c: $out"
  if grep -q '\[WARNING\]' <<<"$out"; then fail "haproxy -c warns: $out"; fi
else
  missing haproxy
fi

# --- nginx -------------------------------------------------------------------
if command -v nginx >/dev/null; then
  log "nginx -t ($(nginx -v 2>&1 | cut -d/ -f2))"
  # Only the site: no /etc/nginx/nginx.conf, no default site, every path in $tmp.
  mkdir "$tmp/nginx"
  sed -e "s#/etc/nginx/certs/inkform.crt#$tmp/cert.pem#" -e "s#/etc/nginx/certs/inkform.key#$tmp/key.pem#" \
    deploy/nginx/inkform.conf >"$tmp/nginx/site.conf"
  cat >"$tmp/nginx/nginx.conf" <<CONF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/nginx/site.conf;
}
CONF
  out=$(nginx -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1) || fail "nginx -t: $out"
  if grep -q '\[warn\]' <<<"$out"; then fail "nginx -t warns: $out"; fi
else
  missing nginx
fi

# --- smoke run: the configurations in front of two real nodes ----------------
command -v curl >/dev/null || missing curl
if command -v curl >/dev/null && command -v haproxy >/dev/null && command -v nginx >/dev/null; then
  log "smoke run: haproxy and nginx in front of two inkform nodes"
  n1=$(freeport) n2=$(freeport)
  for n in 1 2; do
    port=$n1; [ "$n" = 2 ] && port=$n2
    "$tmp/inkform" serve --addr "127.0.0.1:$port" --data "$tmp/node$n" --trusted-proxies 127.0.0.1 \
      --drain-delay 6s --shutdown-timeout 2s --log-level warn >"$tmp/node$n.log" 2>&1 &
    pids+=($!)
  done
  node1_pid=${pids[0]}
  waitport "$n1"; waitport "$n2"
  h80=$(freeport) h443=$(freeport) g80=$(freeport) g443=$(freeport)
  # maxconn lowered: haproxy needs 2 descriptors a connection and may not raise the limit here.
  sed -e "s#bind :80#bind 127.0.0.1:$h80#" -e "s#bind :443#bind 127.0.0.1:$h443#" \
    -e "s#10.0.1.5:8080#127.0.0.1:$n1#" -e "s#10.0.1.6:8080#127.0.0.1:$n2#" \
    -e 's#^    maxconn 20000#    maxconn 1000#' -e 's#^    user haproxy##' -e 's#^    group haproxy##' \
    "$tmp/haproxy.cfg" >"$tmp/haproxy-smoke.cfg"
  haproxy -db -f "$tmp/haproxy-smoke.cfg" >"$tmp/haproxy.log" 2>&1 &
  pids+=($!)
  sed -e "s#listen 80;#listen 127.0.0.1:$g80;#" -e "s#listen 443 ssl#listen 127.0.0.1:$g443 ssl#" -e '/listen \[::\]/d' \
    -e "s#10.0.1.5:8080#127.0.0.1:$n1#" -e "s#10.0.1.6:8080#127.0.0.1:$n2#" \
    "$tmp/nginx/site.conf" >"$tmp/nginx/smoke-site.conf"
  mkdir "$tmp/nginx/run"
  sed -e "s#$tmp/nginx/site.conf#$tmp/nginx/smoke-site.conf#" -e "s#$tmp/nginx/nginx.pid#$tmp/nginx/run/nginx.pid#" \
    "$tmp/nginx/nginx.conf" >"$tmp/nginx/smoke.conf"
  nginx_conf="$tmp/nginx/smoke.conf"
  nginx -p "$tmp/nginx/run" -c "$nginx_conf"
  waitport "$h443"; waitport "$g443"
  head -c 11000000 /dev/zero >"$tmp/big"
  for lb in haproxy:$h80:$h443 nginx:$g80:$g443; do
    IFS=: read -r name p80 p443 <<<"$lb"
    base="https://127.0.0.1:$p443"
    expect "$name GET /healthz" 200 "$(status "$base/healthz")"
    expect "$name GET /readyz" 200 "$(status "$base/readyz")"
    for path in /metrics //metrics /%6detrics /metrics/x; do
      expect "$name GET $path" 404 "$(status "$base$path")"
    done
    expect "$name POST /api/v1/ink without a token" 401 "$(status -X POST -H 'Idempotency-Key: k1' --data-binary x "$base/api/v1/ink")"
    got=$(status -X POST -H 'Expect:' --data-binary @"$tmp/big" "$base/api/v1/ink")
    case "$got" in 413|000) ;; *) fail "$name POST of 11 MB: got $got, want 413" ;; esac
    expect "$name port 80" 308 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: forms.example.org' "http://127.0.0.1:$p80/x")"
    expect "$name redirect" "https://forms.example.org/x" "$(curl -s -o /dev/null -w '%{redirect_url}' -H 'Host: forms.example.org' "http://127.0.0.1:$p80/x")"
  done
  # Drain: node 1 answers /readyz with 503 for --drain-delay (6 s); haproxy's
  # check (fall 2 × inter 2s) must take it out before that ends.
  kill -TERM "$node1_pid"
  for _ in $(seq 50); do grep -q 'api1 is DOWN' "$tmp/haproxy.log" && break; sleep 0.1; done
  grep -q 'api1 is DOWN' "$tmp/haproxy.log" || fail "haproxy did not take a draining node out within 5 s: $(tail -n 5 "$tmp/haproxy.log")"
  kill -0 "$node1_pid" 2>/dev/null || fail "node 1 stopped before haproxy took it out (--drain-delay too short?)"
  for _ in 1 2 3 4; do expect "haproxy GET /readyz while node 1 drains" 200 "$(status "https://127.0.0.1:$h443/readyz")"; done
fi

log "ok"
