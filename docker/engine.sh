#!/usr/bin/env bash
# Make sure a Docker engine is usable on this machine (idempotent).
#
#   docker/engine.sh
#
# 1. If `docker info` already answers, exit 0.
# 2. Otherwise install Debian's docker.io package if `dockerd` is missing,
#    start dockerd in the background (log: $GATEHOUSE_DOCKERD_LOG), wait up to
#    $GATEHOUSE_DOCKERD_WAIT seconds for it and print the engine version.
# 3. If the engine does not come up, print the end of the dockerd log and
#    exit non-zero: in CI a missing engine is a failure.
#
# Storage driver: overlay2 is tried first; if dockerd does not come up with it
# the script retries once with vfs (slow, but works on any filesystem).
# Override with GATEHOUSE_DOCKERD_STORAGE_DRIVER=overlay2|vfs.
#
# No registry mirror is configured, on purpose: the project never pulls images.
set -euo pipefail

LOG="${GATEHOUSE_DOCKERD_LOG:-/var/log/gatehouse-dockerd.log}"
WAIT="${GATEHOUSE_DOCKERD_WAIT:-60}"
DRIVERS="${GATEHOUSE_DOCKERD_STORAGE_DRIVER:-overlay2 vfs}"

say() { printf '[engine] %s\n' "$*"; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }

engine_up() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

print_version() {
  say "Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')" \
      "(storage driver: $(docker info --format '{{.Driver}}' 2>/dev/null || echo '?'))"
}

# Every successful path ends here: the engine is up, so make sure the host firewall rule for
# connector networks is in place too (see connector-firewall.sh).
finish() {
  print_version
  "$(dirname "$0")/connector-firewall.sh"
  exit 0
}

if engine_up; then
  say "engine already running"
  finish
fi

[ "$(id -u)" -eq 0 ] || die "no usable Docker engine and not root: cannot install or start dockerd"

# --- install ---------------------------------------------------------------
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  say "installing docker.io with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt_install() { apt-get install -y -q --no-install-recommends docker.io iptables ca-certificates </dev/null; }
  if ! apt_install >/tmp/gatehouse-apt-docker.log 2>&1; then
    say "apt-get install failed; running apt-get update and retrying"
    apt-get update -q </dev/null >>/tmp/gatehouse-apt-docker.log 2>&1 || true
    apt_install >>/tmp/gatehouse-apt-docker.log 2>&1 || {
      tail -n 30 /tmp/gatehouse-apt-docker.log >&2
      die "could not install docker.io (log: /tmp/gatehouse-apt-docker.log)"
    }
  fi
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd still not found after installing docker.io"

# --- start -----------------------------------------------------------------
wait_for_engine() { # $1 = pid of dockerd (or empty); returns 0 when up
  local pid="$1" i
  for ((i = 0; i < WAIT; i++)); do
    engine_up && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1 # dockerd exited
    fi
    sleep 1
  done
  engine_up
}

# A dockerd may already be starting (e.g. a parallel call): just wait for it.
if [ -S /var/run/docker.sock ] && pid=$(cat /var/run/docker.pid 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then
  say "dockerd (pid $pid) is running but not answering yet; waiting up to ${WAIT}s"
  wait_for_engine "$pid" && finish
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  die "dockerd (pid $pid) is running but does not answer 'docker info'"
fi

mkdir -p "$(dirname "$LOG")"
for driver in $DRIVERS; do
  say "starting dockerd --storage-driver=$driver (log: $LOG)"
  {
    echo "===== $(date -u +%FT%TZ) dockerd --storage-driver=$driver ====="
  } >>"$LOG"
  # setsid + nohup: the daemon outlives this script and the calling shell.
  setsid nohup dockerd --storage-driver="$driver" >>"$LOG" 2>&1 </dev/null &
  pid=$!
  if wait_for_engine "$pid"; then
    say "engine up after starting dockerd (pid $pid)"
    finish
  fi
  say "dockerd did not come up with storage driver $driver; last log lines:"
  tail -n 25 "$LOG" >&2 || true
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 15); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
done

die "could not start a Docker engine (tried storage drivers: $DRIVERS); see $LOG"
