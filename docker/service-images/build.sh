#!/usr/bin/env bash
# Build Gatehouse's PostgreSQL and Caddy images from Debian packages, without any container registry:
#
#   gatehouse/postgres:TAG   Debian bookworm minbase + postgresql-15 (+ client), user postgres (999:999),
#                            entrypoint /usr/local/bin/gatehouse-postgres (initialises an empty data dir)
#   gatehouse/caddy:TAG      Debian bookworm minbase + caddy 2.6, user gatehouse (10001:10001),
#                            listens on 8080/8443, data in /data and /config
#
#   docker/service-images/build.sh [--force] [postgres|caddy|all]     (default: all)
#
# Idempotent: an image that already exists is not rebuilt, unless --force (which also
# re-debootstraps the cached rootfs once). Must run as root (debootstrap, chroot). Starts the
# Docker engine through docker/engine.sh if needed. Shared steps: docker/lib/debian.sh.
#
# Environment (all optional):
#   GATEHOUSE_VERSION     image tag (default: <gatehouse.image.tag> of the root pom.xml)
#   GATEHOUSE_REVISION    OCI revision label (default: git rev-parse HEAD of this checkout, else unknown)
#   GATEHOUSE_CACHE_DIR   caches kept between builds (default /var/cache/gatehouse)
#   GATEHOUSE_DEBIAN_MIRROR, GATEHOUSE_DEBIAN_SECURITY_MIRROR   override the archives read from /etc/apt/sources*
#   TMPDIR                where the temporary rootfs goes (default /var/tmp)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SUITE=bookworm
GATEHOUSE_UID=10001
POSTGRES_UID=999     # fixed, so a data volume stays readable when the image is rebuilt

FORCE=0
WHAT=all
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1; DEBIAN_FORCE_ROOTFS=1 ;;
    postgres|caddy|all) WHAT="$arg" ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "usage: $0 [--force] [postgres|caddy|all]" >&2; exit 2 ;;
  esac
done

GH_LOG_TAG=service-images
# shellcheck source=../lib/debian.sh
source "$HERE/../lib/debian.sh"

TAG="${GATEHOUSE_VERSION:-$(sed -n 's:.*<gatehouse\.image\.tag>\([^<]*\)</gatehouse\.image\.tag>.*:\1:p' "$REPO/pom.xml" | head -n 1)}"
[ -n "$TAG" ] || die "no image tag: set GATEHOUSE_VERSION or <gatehouse.image.tag> in $REPO/pom.xml"
if [ -z "${GATEHOUSE_REVISION:-}" ]; then
  GATEHOUSE_REVISION="$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)"
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
"$HERE/../engine.sh" >/dev/null

wanted() { [ "$WHAT" = all ] || [ "$WHAT" = "$1" ]; }
needs_build() {
  if [ "$FORCE" -eq 0 ] && docker image inspect "gatehouse/$1:$TAG" >/dev/null 2>&1; then
    say "gatehouse/$1:$TAG already exists (use --force to rebuild)"
    return 1
  fi
}
# OCI labels of image gatehouse/$1 (description $2) as docker import arguments, in LABELS.
labels() {
  LABELS=(--change "LABEL org.opencontainers.image.title=\"gatehouse-$1\""
          --change "LABEL org.opencontainers.image.version=\"$TAG\""
          --change "LABEL org.opencontainers.image.revision=\"$GATEHOUSE_REVISION\""
          --change "LABEL org.opencontainers.image.description=\"$2\"")
}

# --- gatehouse/postgres ---------------------------------------------------------------
build_postgres() {
  local start pg_version
  start=$(date +%s)
  debian_rootfs
  debian_chroot_up
  # A fixed uid/gid (Debian's package would pick the next free system id).
  in_chroot groupadd --system --gid "$POSTGRES_UID" postgres
  in_chroot useradd --system --uid "$POSTGRES_UID" --gid "$POSTGRES_UID" --home-dir /var/lib/postgresql \
    --no-create-home --shell /bin/bash --comment "PostgreSQL administrator" postgres
  # postgresql-common first, told not to create the "main" cluster the Debian package would
  # otherwise make at install time: the entrypoint creates the cluster in the data volume.
  debian_apt_install postgresql-common
  sed -ri 's/^#? *create_main_cluster *=.*$/create_main_cluster = false/' \
    "$ROOTFS/etc/postgresql-common/createcluster.conf"
  grep -q '^create_main_cluster = false$' "$ROOTFS/etc/postgresql-common/createcluster.conf" \
    || die "could not disable create_main_cluster in createcluster.conf"
  debian_apt_install postgresql-15 postgresql-client-15
  [ -z "$(ls -A "$ROOTFS/etc/postgresql" 2>/dev/null)" ] || die "the package created a cluster in /etc/postgresql"
  pg_version="$(in_chroot /usr/lib/postgresql/15/bin/postgres --version | awk '{ print $3 }')"

  # No JIT: LLVM (libllvm14 + libz3-4) is 130 MB of the image, and JIT rarely helps the portal's
  # short OLTP queries. Without llvmjit.so PostgreSQL simply never JIT-compiles (jit_provider
  # not available); the generated postgresql.conf also says jit = off. dpkg records the dependency
  # as broken, which matters to nobody: the image has no apt sources and is never apt-upgraded.
  in_chroot dpkg --purge --force-depends libllvm14 libz3-4 >>"$WORK/apt.log" 2>&1 \
    || { tail -n 20 "$WORK/apt.log" >&2; die "could not remove LLVM"; }
  rm -rf "$ROOTFS/usr/lib/postgresql/15/lib/llvmjit.so" "$ROOTFS/usr/lib/postgresql/15/lib/llvmjit_types.bc" \
    "$ROOTFS/usr/lib/postgresql/15/lib/bitcode"
  # Locale sources and charmaps only serve locale-gen; initdb uses the built-in C.UTF-8.
  rm -rf "$ROOTFS/usr/share/i18n/locales" "$ROOTFS/usr/share/i18n/charmaps"
  # The snakeoil key ssl-cert generated at install time would be the same in every installation.
  rm -f "$ROOTFS/etc/ssl/private/ssl-cert-snakeoil.key" "$ROOTFS/etc/ssl/certs/ssl-cert-snakeoil.pem"
  install -d -o "$POSTGRES_UID" -g "$POSTGRES_UID" -m 0755 "$ROOTFS/var/lib/postgresql"
  install -d -o "$POSTGRES_UID" -g "$POSTGRES_UID" -m 0700 "$ROOTFS/var/lib/postgresql/data"
  install -d -o "$POSTGRES_UID" -g "$POSTGRES_UID" -m 2775 "$ROOTFS/run/postgresql"
  install -m 0755 "$HERE/postgres/gatehouse-postgres" "$ROOTFS/usr/local/bin/gatehouse-postgres"
  debian_strip

  labels postgres "Gatehouse PostgreSQL $pg_version (Debian $SUITE postgresql-15), user postgres $POSTGRES_UID:$POSTGRES_UID"
  debian_import "gatehouse/postgres:$TAG" "gatehouse/postgres built by docker/service-images/build.sh" \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change "USER $POSTGRES_UID:$POSTGRES_UID" \
    --change 'WORKDIR /var/lib/postgresql' \
    --change 'EXPOSE 5432' \
    --change 'ENTRYPOINT ["/usr/local/bin/gatehouse-postgres"]' \
    "${LABELS[@]}"
  say "gatehouse/postgres:$TAG built in $(( $(date +%s) - start ))s"
}

# --- gatehouse/caddy --------------------------------------------------------------------
build_caddy() {
  local start caddy_version
  start=$(date +%s)
  debian_rootfs
  debian_chroot_up
  debian_apt_install caddy
  caddy_version="$(in_chroot caddy version | awk '{ print $1 }')"
  in_chroot groupadd --gid "$GATEHOUSE_UID" gatehouse
  in_chroot useradd --uid "$GATEHOUSE_UID" --gid "$GATEHOUSE_UID" --home-dir /home/gatehouse --create-home \
    --shell /usr/sbin/nologin --comment "Gatehouse service" gatehouse
  install -d -o "$GATEHOUSE_UID" -g "$GATEHOUSE_UID" -m 0700 "$ROOTFS/data" "$ROOTFS/config"
  install -m 0644 "$HERE/caddy/Caddyfile" "$ROOTFS/etc/caddy/Caddyfile"
  # Debian's package may give the binary cap_net_bind_service; a file capability makes exec fail
  # under --cap-drop ALL / no-new-privileges, and the container never binds a port below 1024.
  if command -v setcap >/dev/null 2>&1; then setcap -r "$ROOTFS/usr/bin/caddy" 2>/dev/null || true; fi
  debian_strip

  labels caddy "Gatehouse edge proxy: Caddy $caddy_version (Debian $SUITE), user gatehouse $GATEHOUSE_UID:$GATEHOUSE_UID"
  debian_import "gatehouse/caddy:$TAG" "gatehouse/caddy built by docker/service-images/build.sh" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV XDG_DATA_HOME=/data' \
    --change 'ENV XDG_CONFIG_HOME=/config' \
    --change 'ENV HOME=/home/gatehouse' \
    --change "USER $GATEHOUSE_UID:$GATEHOUSE_UID" \
    --change 'WORKDIR /home/gatehouse' \
    --change 'EXPOSE 8080 8443' \
    --change 'ENTRYPOINT ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]' \
    "${LABELS[@]}"
  say "gatehouse/caddy:$TAG built in $(( $(date +%s) - start ))s"
}

# Each image gets a fresh temp rootfs, in a subshell whose exit trap (debian_prepare) removes it.
# A --force re-debootstraps the cached rootfs for the first image only.
run_build() {
  ( debian_prepare "$SUITE"; "build_$1" )
  DEBIAN_FORCE_ROOTFS=0
}

START=$(date +%s)
built=0
if wanted postgres && needs_build postgres; then run_build postgres; built=1; fi
if wanted caddy && needs_build caddy; then run_build caddy; built=1; fi
if [ "$built" = 1 ]; then say "done in $(( $(date +%s) - START ))s"; fi
