#!/usr/bin/env bash
# Builds the Go vulnerability database for govulncheck from the OSV files that
# the golang.org/x/vulndb module ships, and prints its folder. These machines
# cannot reach the online database, but they do reach the module proxy, so the
# database comes as a pinned module version and is built offline by the
# upstream indexdb command (the tool that writes the served layout:
# index/db.json, index/modules.json, ID/<id>.json). Each version is built once
# into a cache folder; a build that stops half way leaves nothing behind.
#
#   govulncheck -db "file://$(scripts/vulndb.sh)" ./...
#
# VULNDB_CACHE overrides the cache folder (default ~/.cache/inkform/vulndb).
# To take newer advisories, raise version to one the module proxy serves.
set -euo pipefail
version=v0.0.0-20261105234957-e22db6528018
cache=${VULNDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inkform/vulndb}
out="$cache/$version"
if [ -f "$out/index/modules.json" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Outside any module, so that downloading a tool never edits this one's go.mod.
cd "$tmp"
src=$(go mod download -json "golang.org/x/vulndb@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
if [ ! -d "$src/data/osv" ]; then
  echo "vulndb.sh: no data/osv in golang.org/x/vulndb@$version" >&2
  exit 1
fi
go run "golang.org/x/vulndb/cmd/indexdb@$version" -vulns "$src/data/osv" -out "$tmp/db"
# Another run may have finished the same version first: then keep its copy.
mv -T "$tmp/db" "$out" 2>/dev/null || [ -f "$out/index/modules.json" ]
echo "$out"
