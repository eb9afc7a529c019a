#!/usr/bin/env bash
# Runs every fuzz target of the module briefly (FUZZTIME each, default 5s),
# as CI does. A failure leaves the input that broke the target in the
# package's testdata/fuzz/<Target>/ directory, where `go test` replays it on
# every later run: commit it with the fix.
#
#   scripts/fuzz-ci.sh            # every target, 5 s each
#   FUZZTIME=60s scripts/fuzz-ci.sh ./inkml
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)
status=0
log=$(mktemp)
for pkg in $(go list "${pkgs[@]}"); do
  targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
  for target in $targets; do
    # Minimisation is capped: two targets spend minutes shrinking inputs
    # that a short run found, which says nothing more about them.
    if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s >"$log" 2>&1; then
      echo "FAIL fuzz $pkg $target"
      tail -n 40 "$log"
      status=1
    else
      echo "ok   fuzz $pkg $target"
    fi
  done
done
rm -f "$log"
exit "$status"
