#!/usr/bin/env bash
# `npm start` from a clone inside a mode-700 directory (as /root is), as root and as an ordinary
# user, then the seed walkthrough against it (tools/compose/walkthrough.mjs: 401 → token →
# {"code":"AUS","name":"AUSTRALIA"} → introspection → an archival run), then Ctrl-C (SIGINT) and a
# check that nothing is left listening.
#
# As root, PostgreSQL runs as the `postgres` OS user, which cannot enter such a directory: this is
# what `spawn …/native/bin/initdb EACCES` was. As an ordinary user everything runs as that user.
#
# The copy: the repository's tracked and new files (what a clone has, plus uncommitted changes),
# node_modules as hard links (a real tree inside the private directory, without copying 1 GB), and
# dist/ (the apps built here first if needed): the subject is the database start, so `npm start`
# runs with --no-build. EMBEDDED_PG_SYSTEM_DIR points to a scratch directory (mode 755, as
# /var/lib), removed at the end with everything else (the created user included). Needs root
# (useradd, runuser). Bounded: each start must be ready within START_TIMEOUT seconds (default
# 180) and gone 30 s after its Ctrl-C. About 1.5 min on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "run as root (it creates a user and runs npm start as root and as that user)" >&2; exit 1; }
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
scratch="$(mktemp -d /tmp/playground-private.XXXXXX)" # mode 700, owned by root: like /root
system="$(mktemp -d /tmp/playground-pg-system.XXXXXX)" && chmod 755 "$system" # as /var/lib is
user=playground-ci-$$
npm_pid=
cleanup() {
  local status=$?
  [ -n "$npm_pid" ] && kill -KILL -- "-$npm_pid" 2>/dev/null || true
  if id "$user" >/dev/null 2>&1; then
    # Whatever of the test user's still runs (after a failure): those PIDs only, then the user.
    local pids
    pids=$(ps -o pid= -u "$user" || true)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
    userdel -r "$user" >/dev/null 2>&1 || userdel "$user" || true
  fi
  rm -rf "$scratch" "$system"
  exit "$status"
}
trap cleanup EXIT

if [ ! -f "$root/dist/apps/auth-server/main.js" ] || [ ! -f "$root/dist/apps/ms-system/main.js" ] || [ ! -f "$root/dist/apps/archival-service/main.js" ]; then
  (cd "$root" && npx nx run-many -t build -p auth-server ms-system archival-service --outputStyle=static >/dev/null)
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# copy_clone <dir>: the clone's files, node_modules (hard links) and dist/ into <dir>.
copy_clone() {
  mkdir -p "$1"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$1" 2>/dev/null || true)
  cp -al "$root/node_modules" "$1/node_modules"
  cp -a "$root/dist" "$1/dist"
}

# start_and_walk <label> <clone> [runuser -u user --]: npm start there, walkthrough, SIGINT, checks.
start_and_walk() {
  local label=$1 clone=$2; shift 2
  local as=("$@") auth ms arch pg log="$scratch/$label.log"
  auth=$(free_port) ms=$(free_port) arch=$(free_port) pg=$(free_port)
  local started=$SECONDS
  echo "== $label: npm start in $clone ($(stat -c '%a %U' "$(dirname "$clone")") above it)"
  # setsid: its own process group, so that SIGINT reaches npm start as a terminal's Ctrl-C would.
  setsid "${as[@]}" env AUTH_SERVER_PORT="$auth" MS_SYSTEM_PORT="$ms" ARCHIVAL_SERVICE_PORT="$arch" \
    EMBEDDED_PG_PORT="$pg" EMBEDDED_PG_SYSTEM_DIR="$system" PLAYGROUND_SKIP_BUILD=1 NO_COLOR=1 \
    bash -c "cd '$clone' && exec npm start" >"$log" 2>&1 &
  npm_pid=$!
  local until=$((SECONDS + ${START_TIMEOUT:-180}))
  until grep -qs '✔ ready in' "$log"; do
    if ! kill -0 "$npm_pid" 2>/dev/null || ((SECONDS > until)); then
      echo "$label: npm start did not get ready:" >&2; tail -40 "$log" >&2; return 1
    fi
    sleep 1
  done
  echo "   ready after $((SECONDS - started)) s: $(grep -E 'runs from|first start|copying' "$log" | sed 's/^[^│]*│ //' | tr '\n' ' ')"
  node "$root/tools/compose/walkthrough.mjs" "http://localhost:$auth/ms-auth-server" \
    "http://localhost:$ms/ms-system" "http://localhost:$arch/archival-service" "http://localhost:$auth/ms-auth-server" |
    sed 's/^/   /' || { tail -40 "$log" >&2; return 1; }
  kill -INT -- "-$npm_pid"
  local stop_until=$((SECONDS + 30))
  while kill -0 "$npm_pid" 2>/dev/null && ((SECONDS < stop_until)); do sleep 0.5; done
  if kill -0 "$npm_pid" 2>/dev/null; then
    echo "$label: npm start still running 30 s after Ctrl-C" >&2; tail -20 "$log" >&2; return 1
  fi
  wait "$npm_pid" || true
  npm_pid=
  grep -q 'stopped\.' "$log" || { echo "$label: npm start did not stop cleanly:" >&2; tail -20 "$log" >&2; return 1; }
  for p in "$auth" "$ms" "$arch" "$pg"; do
    if node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$p"; then
      echo "$label: port $p still open after Ctrl-C" >&2; return 1
    fi
  done
  echo "   stopped, nothing left listening"
}

# 1. As root, in a mode-700 directory owned by root.
copy_clone "$scratch/home/oauth2-playground"
chmod 700 "$scratch/home"
start_and_walk root "$scratch/home/oauth2-playground"
# .data/postgres is a link to where the postgres user can reach the data; a second start reuses it.
link="$(readlink "$scratch/home/oauth2-playground/.data/postgres")"
case "$link" in "$system/"*) echo "   .data/postgres -> $link" ;; *) echo "root: .data/postgres is not a link into EMBEDDED_PG_SYSTEM_DIR" >&2; exit 1 ;; esac
start_and_walk root-again "$scratch/home/oauth2-playground"
grep -q 'first start' "$scratch/root-again.log" && { echo "root-again: the data was not kept between runs" >&2; exit 1; }
# Deleting .data/ still resets the database (the README says so), though the data lives elsewhere.
rm -rf "$scratch/home/oauth2-playground/.data"
start_and_walk root-reset "$scratch/home/oauth2-playground"
grep -q 'was removed' "$scratch/root-reset.log" && grep -q 'first start' "$scratch/root-reset.log" ||
  { echo "root-reset: deleting .data/ did not give a new database" >&2; exit 1; }

# 2. As an ordinary user, in their own mode-700 directory.
useradd --create-home --home-dir "$scratch/user-home" --shell /bin/bash "$user"
chmod 711 "$scratch" # let the user reach their home below the scratch dir (a home is never under root's)
chmod 700 "$scratch/user-home"
runuser -u "$user" -- mkdir "$scratch/user-home/private"
chmod 700 "$scratch/user-home/private"
copy_clone "$scratch/user-home/private/oauth2-playground"
# The user owns the clone (not node_modules: those are root's hard links, readable by everyone).
chown "$user:" "$scratch/user-home/private/oauth2-playground"
find "$scratch/user-home/private/oauth2-playground" -path "$scratch/user-home/private/oauth2-playground/node_modules" -prune -o -exec chown "$user:" {} +
start_and_walk user "$scratch/user-home/private/oauth2-playground" runuser -u "$user" -- env HOME="$scratch/user-home"
[ -d "$scratch/user-home/private/oauth2-playground/.data/postgres" ] && [ ! -L "$scratch/user-home/private/oauth2-playground/.data/postgres" ] ||
  { echo "user: the data should be in .data/postgres itself" >&2; exit 1; }
echo "npm start works from a mode-700 directory, as root and as an ordinary user"
