# Shared by scripts/check-*.sh: messages prefixed with the script's name
# (set check_name before sourcing), and the rule for missing tools.

log() { printf '== %s: %s\n' "$check_name" "$*" >&2; }
fail() { printf '== %s: FAIL: %s\n' "$check_name" "$*" >&2; exit 1; }
# missing TOOL fails, or only says so when CHECK_DEPLOY_SKIP_MISSING=1.
missing() {
  if [ "${CHECK_DEPLOY_SKIP_MISSING:-}" = 1 ]; then log "SKIP: $1 is not installed"; return 0; fi
  fail "$1 is not installed (CHECK_DEPLOY_SKIP_MISSING=1 skips it)"
}
