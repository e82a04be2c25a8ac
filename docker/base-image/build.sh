#!/usr/bin/env bash
# Build Gatehouse's container base image gatehouse/base-jre:25 from scratch,
# without any container registry:
#
#   debootstrap (Debian bookworm, minbase, from the machine's own apt mirror)
#   + security updates + ca-certificates
#   + a jlinked JRE 25 at /opt/java (with a default CDS archive)
#   + user/group gatehouse 10001:10001 (no login shell)
#   -> docker import gatehouse/base-jre:25
#
#   docker/base-image/build.sh [--force]
#
# Idempotent: does nothing if the image already exists, unless --force.
# Must run as root (debootstrap, chroot). Starts the Docker engine through
# docker/engine.sh if needed.
#
# Environment (all optional):
#   GATEHOUSE_BASE_IMAGE            image to produce (default gatehouse/base-jre:25)
#   GATEHOUSE_JDK                   JDK used for jlink (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   GATEHOUSE_JRE_EXTRA_MODULES     extra modules, comma separated (e.g. jdk.localedata, +~11 MB)
#   GATEHOUSE_DEBIAN_MIRROR         Debian archive URL; default: read from /etc/apt/sources*
#   GATEHOUSE_DEBIAN_SECURITY_MIRROR  security archive URL; default: read from /etc/apt/sources*
#   GATEHOUSE_DEBOOTSTRAP_CACHE     .deb cache kept between builds (default /var/cache/gatehouse/debootstrap)
#   TMPDIR                          where the temporary rootfs goes (default /var/tmp)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="${GATEHOUSE_BASE_IMAGE:-gatehouse/base-jre:25}"
JDK="${GATEHOUSE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SUITE=bookworm
UID_GID=10001
CACHE_DIR="${GATEHOUSE_DEBOOTSTRAP_CACHE:-/var/cache/gatehouse/debootstrap}"

# Modules for a Java HTTP/JDBC/Jetty/Jackson service (+ what the appliance portal
# may need: instrumentation, scripting, compiler API, JFR, XA, RMI). The
# extras below java.instrument cost ~1.2 MB together; jdk.localedata (~11 MB)
# is left out by default: add it with GATEHOUSE_JRE_EXTRA_MODULES.
MODULES="java.base,java.logging,java.naming,java.net.http,java.sql,java.management"
MODULES+=",java.security.jgss,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.zipfs"
MODULES+=",jdk.management,jdk.net,jdk.httpserver"
MODULES+=",java.instrument,java.scripting,java.compiler,jdk.jfr,java.transaction.xa,java.rmi"
if [ -n "${GATEHOUSE_JRE_EXTRA_MODULES:-}" ]; then MODULES+=",${GATEHOUSE_JRE_EXTRA_MODULES}"; fi

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "usage: $0 [--force]" >&2; exit 2 ;;
  esac
done

say() { printf '[base-image] %s\n' "$*"; }
die() { printf '[base-image] ERROR: %s\n' "$*" >&2; exit 1; }
START=$(date +%s)

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
"$HERE/../engine.sh"

if [ "$FORCE" -eq 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE already exists (use --force to rebuild)"
  exit 0
fi

[ -x "$JDK/bin/jlink" ] || die "no jlink at $JDK/bin/jlink (set GATEHOUSE_JDK)"

# --- host tools --------------------------------------------------------------
if ! command -v debootstrap >/dev/null 2>&1 || [ ! -e /usr/share/keyrings/debian-archive-keyring.gpg ]; then
  say "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q debootstrap debian-archive-keyring </dev/null >/dev/null 2>&1 || {
    apt-get update -q </dev/null >/dev/null
    apt-get install -y -q debootstrap debian-archive-keyring </dev/null >/dev/null
  }
fi

# --- mirror: taken from this machine's own apt sources, never hard-coded -------
# Prints the first URI of an enabled "deb" source that carries suite $1 with
# component main (deb822 *.sources files first, then one-line *.list files).
find_mirror() {
  local suite="$1" f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v want="$suite" '
      function flush() {
        if (!found && enabled != "no" && uris != "" &&
            index(" " types " ", " deb ") && index(" " suites " ", " " want " ") &&
            index(" " comps " ", " main ")) { split(uris, u, " "); print u[1]; found = 1 }
        types = suites = comps = uris = last = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/   { v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)   # continuation line
                   if (last == "uris") uris = uris " " v; else if (last == "suites") suites = suites " " v
                   else if (last == "components") comps = comps " " v
                   next }
      { i = index($0, ":"); if (!i) next
        k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); last = k
        if (k == "types") types = v; else if (k == "uris") uris = v; else if (k == "suites") suites = v
        else if (k == "components") comps = v; else if (k == "enabled") enabled = tolower(v) }
      END { flush() }' "$f")
    if [ -n "$uri" ]; then echo "${uri%/}"; return 0; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v want="$suite" '
      $1 == "deb" { n = 2; if ($2 ~ /^\[/) { while (n <= NF && $n !~ /\]$/) n++; n++ }
                    if ($(n + 1) != want) next
                    for (i = n + 2; i <= NF; i++) if ($i == "main") { print $n; exit } }' "$f")
    if [ -n "$uri" ]; then echo "${uri%/}"; return 0; fi
  done
  return 1
}

MIRROR="${GATEHOUSE_DEBIAN_MIRROR:-$(find_mirror "$SUITE" || true)}"
[ -n "$MIRROR" ] || die "no Debian '$SUITE' main archive found in /etc/apt/sources*; set GATEHOUSE_DEBIAN_MIRROR"
SEC_MIRROR="${GATEHOUSE_DEBIAN_SECURITY_MIRROR:-$(find_mirror "$SUITE-security" || true)}"
UPD_MIRROR="$(find_mirror "$SUITE-updates" || true)"
say "Debian mirror: $MIRROR (security: ${SEC_MIRROR:-none}, updates: ${UPD_MIRROR:-none})"

# Follow the host's apt on release-file date checks (some mirrors serve snapshots).
CHECK_VALID_UNTIL=true
eval "$(apt-config shell CHECK_VALID_UNTIL_HOST Acquire::Check-Valid-Until)"
case "${CHECK_VALID_UNTIL_HOST:-}" in false|0|no) CHECK_VALID_UNTIL=false ;; esac

# --- temp rootfs + cleanup -----------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/gatehouse-base.XXXXXX")"
ROOTFS="$WORK/rootfs"
unmount_all() {
  local m
  for m in "$ROOTFS/proc" "$ROOTFS/dev"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m"; fi
  done
}
cleanup() {
  unmount_all || true
  if mountpoint -q "$ROOTFS/proc" 2>/dev/null || mountpoint -q "$ROOTFS/dev" 2>/dev/null; then
    echo "[base-image] WARNING: $ROOTFS still has mounts; not deleting $WORK" >&2
    return
  fi
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

in_chroot() {
  chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive HOME=/root "$@"
}

# --- 1. debootstrap --------------------------------------------------------------
ARCH="$(dpkg --print-architecture)"
mkdir -p "$CACHE_DIR"
say "debootstrap $SUITE ($ARCH, minbase, +ca-certificates) into $ROOTFS"
t=$(date +%s)
if ! debootstrap --variant=minbase --arch="$ARCH" --include=ca-certificates \
      --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --cache-dir="$CACHE_DIR" \
      "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  tail -n 30 "$WORK/debootstrap.log" >&2
  [ -f "$ROOTFS/debootstrap/debootstrap.log" ] && tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" >&2
  die "debootstrap failed"
fi
say "debootstrap done in $(( $(date +%s) - t ))s"

mount -t proc proc "$ROOTFS/proc"
# debootstrap normally creates the few device nodes itself; bind the host's if not.
[ -c "$ROOTFS/dev/null" ] || mount --bind /dev "$ROOTFS/dev"
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true

# --- 2. security/point updates -------------------------------------------------------
{
  echo "deb $MIRROR $SUITE main"
  if [ -n "$UPD_MIRROR" ]; then echo "deb $UPD_MIRROR $SUITE-updates main"; fi
  if [ -n "$SEC_MIRROR" ]; then echo "deb $SEC_MIRROR $SUITE-security main"; fi
} >"$ROOTFS/etc/apt/sources.list"
say "applying $SUITE updates inside the chroot"
APT_OPTS=(-q -y -o "Acquire::Check-Valid-Until=$CHECK_VALID_UNTIL" -o Dpkg::Options::=--force-confold
          -o APT::Install-Recommends=false -o APT::Install-Suggests=false)
in_chroot apt-get "${APT_OPTS[@]}" update >"$WORK/apt.log" 2>&1 \
  && in_chroot apt-get "${APT_OPTS[@]}" upgrade >>"$WORK/apt.log" 2>&1 \
  && in_chroot apt-get "${APT_OPTS[@]}" install ca-certificates >>"$WORK/apt.log" 2>&1 \
  || { tail -n 30 "$WORK/apt.log" >&2; die "apt-get inside the chroot failed"; }
grep -E '^(Inst|[0-9]+ upgraded)' "$WORK/apt.log" | sed 's/^/[base-image]   /' || true

# --- 3. user gatehouse (10001:10001, no login shell) ----------------------------------
in_chroot groupadd --gid "$UID_GID" gatehouse
in_chroot useradd --uid "$UID_GID" --gid "$UID_GID" --home-dir /home/gatehouse --create-home \
  --shell /usr/sbin/nologin --comment "Gatehouse service" gatehouse

# --- 4. jlinked JRE at /opt/java + default CDS archive ----------------------------------
say "jlink JRE ($("$JDK/bin/java" -version 2>&1 | head -n 1)) -> /opt/java"
t=$(date +%s)
mkdir -p "$ROOTFS/opt"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$ROOTFS/opt/java"
JRE_BYTES_NO_CDS=$(du -sb "$ROOTFS/opt/java" | cut -f1)
# Dump the CDS archive inside the target rootfs, at the final path, with its libc.
# Measured here: ~2x faster start of a small JDK-heavy program (200 -> 105 ms).
in_chroot /opt/java/bin/java -Xshare:dump >"$WORK/cds.log" 2>&1 \
  || { tail -n 20 "$WORK/cds.log" >&2; die "CDS dump failed"; }
in_chroot /opt/java/bin/java -Xshare:on -version >/dev/null 2>&1 || die "JRE does not start with the CDS archive"
say "jlink + CDS done in $(( $(date +%s) - t ))s"

# --- 5. strip what a JVM service does not need -------------------------------------
say "stripping docs, man pages, locales, caches"
unmount_all
if mountpoint -q "$ROOTFS/proc" || mountpoint -q "$ROOTFS/dev"; then die "could not unmount $ROOTFS/{proc,dev}"; fi
in_chroot_clean() { in_chroot "$@" >/dev/null 2>&1 || true; }
in_chroot_clean apt-get clean
(
  cd "$ROOTFS"
  # keep only copyright files from /usr/share/doc (licences)
  find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
  find usr/share/doc -mindepth 1 -type d -empty -delete
  rm -rf usr/share/man/* usr/share/info/* usr/share/groff/* usr/share/lintian/* usr/share/linda/*
  # message translations; C.UTF-8 itself lives in /usr/lib/locale/C.utf8 and stays
  find usr/share/locale -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
  find usr/lib/locale -mindepth 1 -maxdepth 1 ! -name 'C.utf8' ! -name 'C.UTF-8' -exec rm -rf {} +
  rm -rf var/lib/apt/lists/* var/cache/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old
  rm -rf var/log/* tmp/* var/tmp/* root/.bash_history debootstrap
  rm -rf dev/*                     # docker provides /dev
  # no apt sources in the image (it is a runtime base; nothing apt-installs into it)
  : >etc/apt/sources.list
  rm -f etc/resolv.conf etc/hostname  # docker bind-mounts its own
  : >etc/machine-id 2>/dev/null || true
)
# Keep later dpkg installs (if any layer ever does one) just as slim.
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/gatehouse-slim" <<'EOF'
# Gatehouse base image: no docs, man pages or translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/90gatehouse" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF

JRE_BYTES=$(du -sb "$ROOTFS/opt/java" | cut -f1)
ROOTFS_BYTES=$(du -sb "$ROOTFS" | cut -f1)
JAVA_VERSION="$("$ROOTFS/opt/java/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"

# --- 6. docker import ---------------------------------------------------------------
say "docker import -> $IMAGE"
OLD_ID="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
tar --numeric-owner -C "$ROOTFS" -c . | docker import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'USER 10001:10001' \
  --change 'WORKDIR /home/gatehouse' \
  --change 'LABEL org.opencontainers.image.title="gatehouse-base-jre"' \
  --change "LABEL org.opencontainers.image.description=\"Gatehouse base image: Debian $SUITE minbase + jlinked JRE $JAVA_VERSION at /opt/java, user gatehouse 10001:10001\"" \
  --change "LABEL org.opencontainers.image.version=\"$JAVA_VERSION\"" \
  --message "gatehouse base image built by docker/base-image/build.sh" \
  - "$IMAGE" >/dev/null
NEW_ID="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then
  docker image rm "$OLD_ID" >/dev/null 2>&1 || true # drop the replaced image if nothing uses it
fi

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
say "JRE /opt/java: $(mb "$JRE_BYTES") ($(mb "$JRE_BYTES_NO_CDS") without the CDS archive)"
say "rootfs: $(mb "$ROOTFS_BYTES")"
say "image $IMAGE: $(mb "$(docker image inspect --format '{{.Size}}' "$IMAGE")") ($(docker image inspect --format '{{.Id}}' "$IMAGE"))"
say "done in $(( $(date +%s) - START ))s"
