#!/usr/bin/env bash
# Checks the deployment files in deploy/ with the tools that read them:
#   - the Dockerfile's build command, run here: a static binary that reports
#     the version it was built with (Docker itself is not needed);
#   - systemd-analyze verify and security --offline on the systemd units;
#   - haproxy -c on deploy/haproxy/haproxy.cfg;
#   - nginx -t on deploy/nginx/inkform.conf, inside a throw-away nginx.conf.
# A throw-away self-signed certificate stands in for the real one. A missing
# tool fails the check unless CHECK_DEPLOY_SKIP_MISSING=1. Starts no server.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== check-deploy: %s\n' "$*" >&2; }
fail() { printf '== check-deploy: FAIL: %s\n' "$*" >&2; exit 1; }
missing() {
  if [ "${CHECK_DEPLOY_SKIP_MISSING:-}" = 1 ]; then log "SKIP: $1 is not installed"; return 0; fi
  fail "$1 is not installed (CHECK_DEPLOY_SKIP_MISSING=1 skips it)"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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

log "ok"
