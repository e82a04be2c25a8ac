#!/usr/bin/env bash
# Smoke test of gatehouse/postgres:TAG and gatehouse/caddy:TAG (builds them first if missing).
#
#   docker/service-images/smoke.sh [postgres|caddy|all]     (default: all)
#
# Everything it starts is named t-images-<random>-... (containers, one network, volumes) and is
# removed on exit. Traffic goes only to those containers and to a loopback port they publish.
# Exit 0 when every check passed; otherwise the failed check and the container logs are printed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WHAT="${1:-all}"
case "$WHAT" in postgres|caddy|all) ;; *) echo "usage: $0 [postgres|caddy|all]" >&2; exit 2 ;; esac
TAG="${GATEHOUSE_VERSION:-$(sed -n 's:.*<gatehouse\.image\.tag>\([^<]*\)</gatehouse\.image\.tag>.*:\1:p' "$REPO/pom.xml" | head -n 1)}"
PG_IMAGE="gatehouse/postgres:$TAG"
CADDY_IMAGE="gatehouse/caddy:$TAG"

P="t-images-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
NET="$P-net"
CONTAINERS=()
VOLUMES=()
TMP="$(mktemp -d)"
PASSED=0

say() { printf '[smoke] %s\n' "$*"; }
ok() { PASSED=$((PASSED + 1)); printf '[smoke] ok   %s\n' "$*"; }
fail() {
  printf '[smoke] FAIL %s\n' "$*" >&2
  local c
  for c in "${CONTAINERS[@]}"; do
    if docker container inspect "$c" >/dev/null 2>&1; then
      printf -- '--- logs of %s ---\n' "$c" >&2
      docker logs --tail 40 "$c" >&2 2>&1 || true
    fi
  done
  exit 1
}
cleanup() {
  local c v
  for c in "${CONTAINERS[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  docker network rm "$NET" >/dev/null 2>&1 || true
  for v in "${VOLUMES[@]}"; do docker volume rm "$v" >/dev/null 2>&1 || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# Polls "$@" once a second until it succeeds or $1 seconds have passed.
until_ok() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}

docker info >/dev/null 2>&1 || fail "no Docker engine answers (start one with docker/engine.sh)"
if ! docker image inspect "$PG_IMAGE" >/dev/null 2>&1 || ! docker image inspect "$CADDY_IMAGE" >/dev/null 2>&1; then
  "$HERE/build.sh" "$WHAT"
fi
docker network create "$NET" >/dev/null
HARDENED=(--cap-drop ALL --security-opt no-new-privileges)

check_labels() {
  local image="$1" title="$2" labels
  labels="$(docker image inspect --format '{{index .Config.Labels "org.opencontainers.image.title"}}|{{index .Config.Labels "org.opencontainers.image.version"}}|{{index .Config.Labels "org.opencontainers.image.revision"}}' "$image")"
  case "$labels" in
    "$title|$TAG|"?*) ok "$image labels: $labels" ;;
    *) fail "$image labels: got '$labels', want '$title|$TAG|<revision>'" ;;
  esac
}

# ------------------------------------------------------------------------------------------
smoke_postgres() {
  local pg="$P-pg" vol="$P-pgdata" owner_pw app_pw out rc
  owner_pw="owner-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  app_pw="app-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  say "PostgreSQL: $PG_IMAGE"
  # The server containers run with a read-only root fs: only the volume and these tmpfs are writable.
  PG_READ_ONLY=(--read-only --tmpfs /run/postgresql:uid=999,gid=999,mode=2775 --tmpfs /tmp:mode=1777)
  check_labels "$PG_IMAGE" gatehouse-postgres

  # psql/pg_isready from a second container of the same image, over the network.
  client() { docker run --rm --network "$NET" "${HARDENED[@]}" --entrypoint "$1" "${@:2}"; }
  sql_as() { # user password sql
    docker run --rm --network "$NET" "${HARDENED[@]}" -e PGPASSWORD="$2" --entrypoint psql "$PG_IMAGE" \
      -X -h "$pg" -U "$1" -d gatehouse -tA -v ON_ERROR_STOP=1 -c "$3"
  }

  out="$(docker run --rm --entrypoint bash "$PG_IMAGE" -c 'for b in pg_isready pg_dump pg_restore psql pg_dumpall; do command -v $b || exit 1; done')" \
    || fail "PostgreSQL binaries not all on PATH: $out"
  ok "pg_isready, pg_dump, pg_restore, psql, pg_dumpall on PATH"

  # Refuses to initialise without (long enough) passwords.
  rc=0; out="$(docker run --rm "${HARDENED[@]}" -e POSTGRES_OWNER_PASSWORD="$owner_pw" "$PG_IMAGE" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] && grep -q 'POSTGRES_APP_PASSWORD is not set' <<<"$out" \
    || fail "start without POSTGRES_APP_PASSWORD: exit $rc, output: $out"
  ok "refuses to initialise without POSTGRES_APP_PASSWORD"
  rc=0; out="$(docker run --rm "${HARDENED[@]}" -e POSTGRES_OWNER_PASSWORD=short-password -e POSTGRES_APP_PASSWORD="$app_pw" "$PG_IMAGE" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] && grep -q 'POSTGRES_OWNER_PASSWORD is shorter than 16 characters' <<<"$out" \
    || fail "start with a 14-character owner password: exit $rc, output: $out"
  ok "refuses to initialise with a password shorter than 16 characters"

  VOLUMES+=("$vol"); docker volume create "$vol" >/dev/null
  CONTAINERS+=("$pg")
  docker run -d --name "$pg" --network "$NET" "${HARDENED[@]}" "${PG_READ_ONLY[@]}" -v "$vol:/var/lib/postgresql/data" \
    -e POSTGRES_OWNER_PASSWORD="$owner_pw" -e POSTGRES_APP_PASSWORD="$app_pw" "$PG_IMAGE" >/dev/null
  until_ok 60 client pg_isready "$PG_IMAGE" -h "$pg" -p 5432 -d gatehouse \
    || fail "pg_isready over TCP did not succeed within 60 s"
  ok "pg_isready over TCP (read-only root fs, tmpfs /run/postgresql and /tmp)"

  out="$(docker exec "$pg" id -un)"; [ "$out" = postgres ] || fail "server runs as '$out', not postgres"
  out="$(docker top "$pg" -o pid,uid,args | awk '/postgres -D/ { print $2; exit }')"
  [ "$out" = 999 ] || fail "postgres process runs as uid '$out' (docker top), want 999"
  ok "server runs as postgres (uid 999)"

  out="$(sql_as gatehouse "$owner_pw" "select current_user, (select pg_get_userbyid(datdba) from pg_database where datname = 'gatehouse'), (select rolsuper from pg_roles where rolname = current_user)")" \
    || fail "gatehouse cannot log in over TCP: $out"
  [ "$out" = "gatehouse|gatehouse|f" ] || fail "gatehouse login: got '$out', want 'gatehouse|gatehouse|f'"
  ok "login gatehouse over TCP, owns database gatehouse, not superuser"

  out="$(sql_as gatehouse_app "$app_pw" "select current_user, rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user")" \
    || fail "gatehouse_app cannot log in over TCP: $out"
  [ "$out" = "gatehouse_app|f|f|f" ] || fail "gatehouse_app login: got '$out'"
  rc=0; out="$(sql_as gatehouse_app "$app_pw" "create table t_images_probe (id int)" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] || fail "gatehouse_app could create a table in schema public"
  ok "login gatehouse_app over TCP, no privileges (cannot create a table)"

  rc=0; out="$(sql_as gatehouse "wrong-$owner_pw" "select 1" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] && grep -q 'password authentication failed for user "gatehouse"' <<<"$out" \
    || fail "wrong password: exit $rc, output: $out"
  rc=0; out="$(sql_as postgres "" "select 1" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] || fail "superuser postgres could log in over TCP without a password"
  ok "wrong password refused; superuser postgres cannot log in over TCP"

  sql_as gatehouse "$owner_pw" "create table smoke (note text); insert into smoke values ('kept')" >/dev/null \
    || fail "gatehouse cannot create a table in its database"

  # docker stop sends SIGTERM; the entrypoint must make it a fast shutdown (clean exit, not SIGKILL).
  docker stop "$pg" >/dev/null
  out="$(docker inspect --format '{{.State.ExitCode}}' "$pg")"
  [ "$out" = 0 ] || fail "docker stop: exit code $out"
  docker logs "$pg" 2>&1 | grep -q 'received fast shutdown request' || fail "docker stop did not cause a fast shutdown"
  ok "docker stop = fast shutdown, exit code 0"

  # A new container on the same volume keeps the data; the (different) passwords in its
  # environment are not applied.
  docker rm "$pg" >/dev/null
  docker run -d --name "$pg" --network "$NET" "${HARDENED[@]}" "${PG_READ_ONLY[@]}" -v "$vol:/var/lib/postgresql/data" \
    -e POSTGRES_OWNER_PASSWORD="other-$owner_pw" -e POSTGRES_APP_PASSWORD="other-$app_pw" "$PG_IMAGE" >/dev/null
  until_ok 60 client pg_isready "$PG_IMAGE" -h "$pg" -p 5432 -d gatehouse \
    || fail "restarted server not ready within 60 s"
  out="$(sql_as gatehouse "$owner_pw" "select note from smoke")" || fail "after restart: $out"
  [ "$out" = kept ] || fail "after restart: got '$out', want 'kept'"
  docker logs "$pg" 2>&1 | grep -q 'passwords are not re-applied' || fail "restart log does not say passwords are kept"
  ok "new container on the same volume keeps data and the original passwords"
}

# ------------------------------------------------------------------------------------------
smoke_caddy() {
  local caddy="$P-caddy" dflt="$P-caddy-default" data="$P-caddy-data" port out uid
  say "Caddy: $CADDY_IMAGE"
  check_labels "$CADDY_IMAGE" gatehouse-caddy
  docker run --rm --entrypoint bash "$CADDY_IMAGE" -c 'true' || fail "no bash in $CADDY_IMAGE"
  ok "bash present"

  # The image's own Caddyfile: answers 503 on 8080, read-only root, no capabilities.
  CONTAINERS+=("$dflt")
  docker run -d --name "$dflt" "${HARDENED[@]}" --read-only --tmpfs /data:uid=10001,gid=10001,mode=0700 \
    --tmpfs /config:uid=10001,gid=10001,mode=0700 -p 127.0.0.1::8080 "$CADDY_IMAGE" >/dev/null
  port="$(docker port "$dflt" 8080/tcp | head -n 1 | sed 's/.*://')"
  status_is() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = "$2" ]; }
  until_ok 30 status_is "http://127.0.0.1:$port/" 503 \
    || fail "default Caddyfile: no HTTP 503 on 8080 within 30 s (last: $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/"))"
  ok "default Caddyfile answers 503 on 8080"

  # The brief's site: tls internal on 8443, read-only root fs, /data a named volume, /config tmpfs.
  printf 'https://localhost:8443 {\n\ttls internal\n\trespond "ok"\n}\n' >"$TMP/Caddyfile"
  chmod 0644 "$TMP/Caddyfile"
  VOLUMES+=("$data"); docker volume create "$data" >/dev/null
  CONTAINERS+=("$caddy")
  docker run -d --name "$caddy" --network "$NET" "${HARDENED[@]}" --read-only \
    -v "$data:/data" --tmpfs /config:uid=10001,gid=10001,mode=0700 \
    -v "$TMP/Caddyfile:/etc/caddy/Caddyfile:ro" -p 127.0.0.1::8443 "$CADDY_IMAGE" >/dev/null
  port="$(docker port "$caddy" 8443/tcp | head -n 1 | sed 's/.*://')"
  https_ok() { [ "$(curl -sk --max-time 3 --resolve "localhost:$port:127.0.0.1" "https://localhost:$port/")" = ok ]; }
  until_ok 30 https_ok || fail "https://localhost:$port/ (tls internal) did not answer 'ok' within 30 s"
  ok "tls internal site answers 'ok' over HTTPS (read-only root, /data volume, /config tmpfs)"

  out="$(docker exec "$caddy" ls /data/caddy/pki/authorities/local/root.crt 2>&1)" \
    || fail "no local CA in /data/caddy/pki: $out"
  ok "local CA stored in the /data volume"

  uid="$(docker top "$caddy" -o pid,uid,args | awk '/caddy run/ { print $2; exit }')"
  [ "$uid" = 10001 ] || fail "caddy runs as uid '$uid' (docker top), want 10001"
  ok "caddy runs as uid 10001"

  if docker logs "$caddy" 2>&1 | grep -qi 'trust'; then
    say "caddy log lines about the trust store:"
    docker logs "$caddy" 2>&1 | grep -i 'trust' | cut -c1-300 | sed 's/^/[smoke]   /'
  fi
}

if [ "$WHAT" = all ] || [ "$WHAT" = postgres ]; then smoke_postgres; fi
if [ "$WHAT" = all ] || [ "$WHAT" = caddy ]; then smoke_caddy; fi
say "all $PASSED checks passed"
