#!/usr/bin/env bash
# The lockfile against every npm a user may have: `npm ci` with npm 10.8.2 (bundled with Node 20),
# 10.9.4 (Node 22) and 11 must all accept package-lock.json. npm versions disagree on some trees
# (npm 10 installs an invalid optional peer dependency nested, npm 11 leaves it out), and a lockfile
# written by one is then refused by the other: "npm ci can only install packages when your
# package.json and package-lock.json are in sync … Missing: …".
#
# `npm ci --dry-run` runs the same in-sync check as a real `npm ci` (it fails with EUSAGE and the
# "Missing:" list) without downloading the tarballs or touching node_modules; it runs in a scratch
# folder holding only package.json, package-lock.json and .npmrc. About 3 s per npm version, plus
# fetching that npm once (npx cache).
#
#   bash tools/ci/lockfile-npm-versions.sh            # the three versions below
#   bash tools/ci/lockfile-npm-versions.sh 10.8.2     # just one
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(10.8.2 10.9.4 11.19.1)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$scratch/"
[ -f "$root/.npmrc" ] && cp "$root/.npmrc" "$scratch/"
failed=0
for version in "${versions[@]}"; do
  start=$SECONDS
  if (cd "$scratch" && npx --yes "npm@$version" ci --dry-run --ignore-scripts --no-audit --no-fund >"$scratch/npm-$version.log" 2>&1); then
    echo "npm $version: npm ci accepts the lockfile ($((SECONDS - start)) s)"
  else
    echo "npm $version: npm ci REFUSES the lockfile:"
    grep -E '^npm error' "$scratch/npm-$version.log" | grep -vE '^npm error *$' | sed '/Clean install a project/,$d'
    failed=1
  fi
done
if [ "$failed" = 1 ]; then
  echo "Fix the dependency tree so every npm resolves it alike (see docs/DEVELOPING.md, Lockfile)." >&2
  exit 1
fi
