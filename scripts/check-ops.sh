#!/usr/bin/env bash
# Checks the operations files in deploy/ that no service here can run:
#   - deploy/compose.yaml: parsed; every inkform service's command uses only
#     flags the binary has, and its INKFORM_* variables name real flags;
#     haproxy -c on its haproxy configuration;
#   - deploy/helm/inkform: helm lint and helm template with the defaults and
#     with ci/full-values.yaml; the rendered objects are the ones the chart
#     promises, their inkform arguments are real flags, and values the
#     schema forbids are refused;
#   - deploy/terraform/aws: formatted as terraform fmt formats it and free of
#     syntax errors (hclfmt, the HCL library's formatter; terraform validate
#     needs the providers, which cannot be downloaded here);
#   - deploy/prometheus: promtool check rules;
#   - deploy/grafana: valid JSON, every panel with queries;
#   - alert rules and the dashboard name only metrics the code defines.
# Tools: helm, promtool, hclfmt on PATH (.ci/run installs them with
# go install); a missing one fails unless CHECK_DEPLOY_SKIP_MISSING=1.
set -euo pipefail
cd "$(dirname "$0")/.."

check_name=check-ops
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/inkform" ./cmd/inkform
# flags SUBCOMMAND: the flags the binary's subcommand has, one a line.
flags() { "$tmp/inkform" help "$1" 2>&1 | sed -n 's/^  -\([a-z0-9-]*\).*/\1/p'; }
for sub in serve worker migrate; do flags "$sub" >"$tmp/flags-$sub"; done
[ -s "$tmp/flags-serve" ] || fail "cannot read serve's flags from inkform help serve"

# check_args SUBCOMMAND ARG...: every --flag is one of the subcommand's.
check_args() {
  local sub=$1; shift
  [ -f "$tmp/flags-$sub" ] || fail "unknown inkform command $sub"
  for a in "$@"; do
    case $a in --*) f=${a#--}; f=${f%%=*}; grep -qx -- "$f" "$tmp/flags-$sub" || fail "inkform $sub has no flag --$f (in $where)";; esac
  done
}

# --- compose -----------------------------------------------------------------
log "deploy/compose.yaml"
python3 - deploy/compose.yaml >"$tmp/compose-cmds" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
services = doc["services"]
for want in ["postgres", "s3", "haproxy", "migrate", "api1", "api2", "worker1", "worker2"]:
    if want not in services:
        sys.exit(f"compose.yaml has no service {want}")
for name, svc in services.items():
    if svc.get("image") != "inkform:local":
        continue
    env = svc.get("environment", {})
    for var in ["INKFORM_DB", "INKFORM_BLOB", "INKFORM_SECRET_KEY"]:
        if var not in env:
            sys.exit(f"compose.yaml: {name} does not set {var}")
    print(name, " ".join(svc["command"]))
    # The variables are every node's shared settings: serve's flags.
    print(name + "-environment", "serve", " ".join("--" + k[len("INKFORM_"):].lower().replace("_", "-")
        for k in env if k not in ("INKFORM_S3_ACCESS_KEY", "INKFORM_S3_SECRET_KEY")))
PY
while read -r name sub args; do
  where="compose service $name"
  # shellcheck disable=SC2086
  check_args "$sub" $args
done <"$tmp/compose-cmds"
if command -v haproxy >/dev/null; then
  out=$(haproxy -c -f deploy/compose-haproxy.cfg 2>&1) || fail "haproxy -c deploy/compose-haproxy.cfg: $out"
else
  missing haproxy
fi

# --- Helm --------------------------------------------------------------------
if command -v helm >/dev/null; then
  log "helm lint and template ($(helm version --short))"
  chart=deploy/helm/inkform
  need=(--set secret.values.INKFORM_SECRET_KEY=x --set secret.values.INKFORM_DB=postgres://db/inkform)
  helm lint --strict "$chart" "${need[@]}" >"$tmp/lint.txt" 2>&1 || fail "helm lint: $(cat "$tmp/lint.txt")"
  helm lint --strict "$chart" -f "$chart/ci/full-values.yaml" >"$tmp/lint.txt" 2>&1 || fail "helm lint (full values): $(cat "$tmp/lint.txt")"
  helm template t "$chart" "${need[@]}" >"$tmp/default.yaml" || fail "helm template with the defaults"
  helm template t "$chart" -f "$chart/ci/full-values.yaml" >"$tmp/full.yaml" || fail "helm template with ci/full-values.yaml"
  python3 - "$tmp/default.yaml" "$tmp/full.yaml" >"$tmp/helm-cmds" <<'PY'
import sys, yaml
def kinds(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    return docs, sorted(f"{d['kind']}/{d['metadata']['name']}" for d in docs)
want_default = {"ConfigMap/t-inkform-config", "Deployment/t-inkform-api", "Deployment/t-inkform-worker",
    "HorizontalPodAutoscaler/t-inkform-api", "Job/t-inkform-migrate", "PodDisruptionBudget/t-inkform-api",
    "PodDisruptionBudget/t-inkform-worker", "Secret/t-inkform-shared", "Service/t-inkform-api",
    "Service/t-inkform-worker", "ServiceAccount/t-inkform"}
for path, extra in [(sys.argv[1], set()), (sys.argv[2], {"ScaledObject/t-inkform-worker", "Ingress/t-inkform"})]:
    docs, got = kinds(path)
    if set(got) != want_default | extra:
        sys.exit(f"{path}: rendered {got}, want {sorted(want_default | extra)}")
    for d in docs:
        if d["kind"] == "Job" and "pre-upgrade" not in d["metadata"]["annotations"]["helm.sh/hook"]:
            sys.exit("the migration Job is not a pre-upgrade hook")
        spec = d.get("spec", {}).get("template", {}).get("spec", {})
        for c in spec.get("containers", []):
            print(d["metadata"]["name"], " ".join(c["args"]))
            sc = c.get("securityContext", {})
            if not (sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False):
                sys.exit(f"{d['metadata']['name']}: the container may write its root or escalate")
        if spec and not spec.get("securityContext", {}).get("runAsNonRoot"):
            sys.exit(f"{d['metadata']['name']}: pods may run as root")
PY
  while read -r name sub args; do
    where="helm object $name"
    # shellcheck disable=SC2086
    check_args "$sub" $args
  done <"$tmp/helm-cmds"
  # The schema refuses a secret among the plain settings, and so does the
  # chart a missing secret key.
  if helm template t "$chart" "${need[@]}" --set config.INKFORM_SECRET_KEY=x >/dev/null 2>&1; then
    fail "helm template accepted INKFORM_SECRET_KEY in config (values.schema.json should refuse it)"
  fi
  if helm template t "$chart" --set secret.values.INKFORM_DB=x >/dev/null 2>&1; then
    fail "helm template rendered without INKFORM_SECRET_KEY"
  fi
else
  missing helm
fi

# --- Terraform ---------------------------------------------------------------
if command -v hclfmt >/dev/null; then
  log "terraform files: syntax and formatting (hclfmt)"
  for f in deploy/terraform/aws/*.tf; do
    hclfmt -check "$f" >/dev/null 2>"$tmp/hcl.txt" || fail "$f: $(cat "$tmp/hcl.txt")"
    hclfmt -require-no-change "$f" >/dev/null 2>&1 || fail "$f is not formatted (hclfmt -w $f, or terraform fmt)"
  done
  grep -q 'port *= 443' deploy/terraform/aws/compute.tf || fail "the ALB has no HTTPS listener on 443"
  if grep -Eq 'port *= 80$' deploy/terraform/aws/*.tf; then fail "the terraform opens port 80"; fi
else
  missing hclfmt
fi

# --- Prometheus and Grafana --------------------------------------------------
if command -v promtool >/dev/null; then
  log "promtool check rules"
  promtool check rules deploy/prometheus/inkform-alerts.yaml >"$tmp/promtool.txt" 2>&1 || fail "promtool: $(cat "$tmp/promtool.txt")"
else
  missing promtool
fi
log "grafana dashboard and metric names"
python3 - deploy/grafana/inkform-dashboard.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if not d.get("panels"):
    sys.exit("the dashboard has no panels")
for p in d["panels"]:
    if not p.get("targets") or not all(t.get("expr") for t in p["targets"]):
        sys.exit(f"panel {p.get('title')!r} has no query")
PY
# Names the code defines (histograms add _bucket, _sum and _count).
grep -rhoE '"inkform_[a-z_]+"' --include=*.go --exclude=*_test.go . | tr -d '"' | sort -u >"$tmp/defined"
for base in $(cat "$tmp/defined"); do printf '%s_bucket\n%s_sum\n%s_count\n' "$base" "$base" "$base"; done >>"$tmp/defined"
for f in deploy/prometheus/inkform-alerts.yaml deploy/grafana/inkform-dashboard.json deploy/helm/inkform/templates/worker-scaledobject.yaml; do
  for m in $(grep -oE 'inkform_[a-z_]+' "$f" | sort -u); do
    grep -qx "$m" "$tmp/defined" || fail "$f uses the metric $m, which the code does not define"
  done
done
log "ok"
