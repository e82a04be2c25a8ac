# shellcheck shell=bash
# Shared by Gatehouse's image builders (docker/base-image/build.sh, docker/service-images/build.sh):
# build a slim Debian root filesystem without any container registry and `docker import` it.
#
#   GH_LOG_TAG=my-image; source "$HERE/../lib/debian.sh"
#   debian_prepare bookworm            # root check, host tools, mirrors, temp dir ($WORK, $ROOTFS)
#   debian_rootfs                      # cached debootstrap minbase (+ca-certificates) -> $ROOTFS
#   debian_chroot_up                   # /proc, /dev, resolv.conf, apt sources, no service starts
#   debian_apt_install pkg...          # update + upgrade + install (bookworm, -updates, -security)
#   in_chroot cmd...                   # run inside the rootfs
#   debian_strip                       # docs, man pages, translations, caches, logs, apt sources
#   debian_import IMAGE "message" --change '...' ...
#
# Nothing here names a mirror or registry host: the Debian archive is the one this machine's
# own apt uses (GATEHOUSE_DEBIAN_MIRROR / GATEHOUSE_DEBIAN_SECURITY_MIRROR override it).
#
# Caches (GATEHOUSE_CACHE_DIR, default /var/cache/gatehouse):
#   debootstrap/                 .debs debootstrap downloaded (GATEHOUSE_DEBOOTSTRAP_CACHE overrides)
#   rootfs-<suite>-<arch>.tar    the debootstrapped rootfs; rebuilt when older than
#                                GATEHOUSE_ROOTFS_MAX_AGE_DAYS (7) or when DEBIAN_FORCE_ROOTFS=1
#   apt-archives/                .debs apt-get installs inside the chroot (kept between builds)
#   apt-lists/                   apt's package lists (apt-get update only fetches what changed)
# Every image still runs `apt-get upgrade` against the live archive, so a week-old rootfs
# tarball never ships stale packages; the tarball only saves the debootstrap (~1 min).

GH_CACHE_DIR="${GATEHOUSE_CACHE_DIR:-/var/cache/gatehouse}"
DEBIAN_DEBOOTSTRAP_CACHE="${GATEHOUSE_DEBOOTSTRAP_CACHE:-$GH_CACHE_DIR/debootstrap}"
DEBIAN_APT_CACHE="$GH_CACHE_DIR/apt-archives"
DEBIAN_APT_LISTS="$GH_CACHE_DIR/apt-lists"
DEBIAN_ROOTFS_MAX_AGE_DAYS="${GATEHOUSE_ROOTFS_MAX_AGE_DAYS:-7}"
DEBIAN_FORCE_ROOTFS="${DEBIAN_FORCE_ROOTFS:-0}"

say() { printf '[%s] %s\n' "${GH_LOG_TAG:-debian}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${GH_LOG_TAG:-debian}" "$*" >&2; exit 1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

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

# Root check, debootstrap on the host, mirrors, temp dir with cleanup on exit.
# Sets SUITE, ARCH, MIRROR, SEC_MIRROR, UPD_MIRROR, CHECK_VALID_UNTIL, WORK, ROOTFS.
debian_prepare() {
  SUITE="$1"
  [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
  ARCH="$(dpkg --print-architecture)"

  if ! command -v debootstrap >/dev/null 2>&1 || [ ! -e /usr/share/keyrings/debian-archive-keyring.gpg ]; then
    say "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q debootstrap debian-archive-keyring </dev/null >/dev/null 2>&1 || {
      apt-get update -q </dev/null >/dev/null
      apt-get install -y -q debootstrap debian-archive-keyring </dev/null >/dev/null
    }
  fi

  MIRROR="${GATEHOUSE_DEBIAN_MIRROR:-$(find_mirror "$SUITE" || true)}"
  [ -n "$MIRROR" ] || die "no Debian '$SUITE' main archive found in /etc/apt/sources*; set GATEHOUSE_DEBIAN_MIRROR"
  SEC_MIRROR="${GATEHOUSE_DEBIAN_SECURITY_MIRROR:-$(find_mirror "$SUITE-security" || true)}"
  UPD_MIRROR="$(find_mirror "$SUITE-updates" || true)"
  say "Debian mirror: $MIRROR (security: ${SEC_MIRROR:-none}, updates: ${UPD_MIRROR:-none})"

  # Follow the host's apt on release-file date checks (some mirrors serve snapshots).
  CHECK_VALID_UNTIL=true
  local CHECK_VALID_UNTIL_HOST=""
  eval "$(apt-config shell CHECK_VALID_UNTIL_HOST Acquire::Check-Valid-Until)"
  case "${CHECK_VALID_UNTIL_HOST:-}" in false|0|no) CHECK_VALID_UNTIL=false ;; esac

  WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/gatehouse-${GH_LOG_TAG:-debian}.XXXXXX")"
  ROOTFS="$WORK/rootfs"
  : >"$WORK/apt.log"
  trap debian_cleanup EXIT
}

debian_unmount_all() {
  local m
  [ -n "${ROOTFS:-}" ] || return 0
  for m in "$ROOTFS/var/cache/apt/archives" "$ROOTFS/var/lib/apt/lists" "$ROOTFS/proc" "$ROOTFS/dev"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m"; fi
  done
}

debian_still_mounted() {
  local m
  for m in "$ROOTFS/var/cache/apt/archives" "$ROOTFS/var/lib/apt/lists" "$ROOTFS/proc" "$ROOTFS/dev"; do
    if mountpoint -q "$m" 2>/dev/null; then return 0; fi
  done
  return 1
}

debian_cleanup() {
  [ -n "${WORK:-}" ] && [ -d "$WORK" ] || return 0
  debian_unmount_all || true
  if debian_still_mounted; then
    printf '[%s] WARNING: %s still has mounts; not deleting %s\n' "${GH_LOG_TAG:-debian}" "$ROOTFS" "$WORK" >&2
    return
  fi
  rm -rf --one-file-system "$WORK"
}

in_chroot() {
  chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive HOME=/root "$@"
}

# debootstrap minbase + ca-certificates into directory $1 (.debs cached between runs).
debian_debootstrap() {
  local target="$1" t
  mkdir -p "$DEBIAN_DEBOOTSTRAP_CACHE"
  say "debootstrap $SUITE ($ARCH, minbase, +ca-certificates)"
  t=$(date +%s)
  if ! debootstrap --variant=minbase --arch="$ARCH" --include=ca-certificates \
        --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --cache-dir="$DEBIAN_DEBOOTSTRAP_CACHE" \
        "$SUITE" "$target" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    [ -f "$target/debootstrap/debootstrap.log" ] && tail -n 30 "$target/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  say "debootstrap done in $(( $(date +%s) - t ))s"
}

# Fills $ROOTFS from the cached rootfs tarball, debootstrapping it first when it is missing,
# older than DEBIAN_ROOTFS_MAX_AGE_DAYS or DEBIAN_FORCE_ROOTFS=1 (reset to 0 once rebuilt, so
# building several images with --force debootstraps only once). A lock keeps two builders from
# writing the tarball at the same time.
debian_rootfs() {
  local tarball="$GH_CACHE_DIR/rootfs-$SUITE-$ARCH.tar" fresh tmp
  mkdir -p "$GH_CACHE_DIR"
  exec {DEBIAN_LOCK_FD}>"$GH_CACHE_DIR/rootfs-$SUITE-$ARCH.lock"
  flock "$DEBIAN_LOCK_FD"
  fresh=0
  if [ -s "$tarball" ] && [ -n "$(find "$tarball" -mtime "-$DEBIAN_ROOTFS_MAX_AGE_DAYS" 2>/dev/null)" ]; then
    fresh=1
  fi
  if [ "$DEBIAN_FORCE_ROOTFS" = 1 ] || [ "$fresh" = 0 ]; then
    tmp="$WORK/debootstrap-rootfs"
    debian_debootstrap "$tmp"
    tar --numeric-owner -C "$tmp" -cf "$tarball.tmp" .
    mv -f "$tarball.tmp" "$tarball"
    rm -rf --one-file-system "$tmp"
    DEBIAN_FORCE_ROOTFS=0
    say "cached rootfs $tarball ($(mb "$(stat -c %s "$tarball")"))"
  else
    say "using cached rootfs $tarball (from $(date -r "$tarball" +%F))"
  fi
  mkdir -p "$ROOTFS"
  tar --numeric-owner -C "$ROOTFS" -xpf "$tarball"
  flock -u "$DEBIAN_LOCK_FD"
  exec {DEBIAN_LOCK_FD}>&-
}

# Mounts and files the chroot needs for apt: /proc, /dev (if debootstrap made no nodes),
# resolv.conf, the shared .deb and package-list caches, apt sources for $SUITE(+updates, +security), and a
# policy-rc.d so no package starts a service while it is installed.
debian_chroot_up() {
  mount -t proc proc "$ROOTFS/proc"
  [ -c "$ROOTFS/dev/null" ] || mount --bind /dev "$ROOTFS/dev"
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
  mkdir -p "$DEBIAN_APT_CACHE" "$ROOTFS/var/cache/apt/archives" "$DEBIAN_APT_LISTS" "$ROOTFS/var/lib/apt/lists"
  mount --bind "$DEBIAN_APT_CACHE" "$ROOTFS/var/cache/apt/archives"
  mount --bind "$DEBIAN_APT_LISTS" "$ROOTFS/var/lib/apt/lists"
  {
    echo "deb $MIRROR $SUITE main"
    if [ -n "$UPD_MIRROR" ]; then echo "deb $UPD_MIRROR $SUITE-updates main"; fi
    if [ -n "$SEC_MIRROR" ]; then echo "deb $SEC_MIRROR $SUITE-security main"; fi
  } >"$ROOTFS/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"
}

DEBIAN_APT_UPDATED=0
# apt-get in the chroot, output to $WORK/apt.log. The shared caches are locked for the
# duration, as two chroots' apt would otherwise race for them. dpkg skips fsync (unsafe-io): a
# crashed build is thrown away anyway, and it saves a good part of the install time.
debian_apt() {
  local opts=(-q -y -o "Acquire::Check-Valid-Until=$CHECK_VALID_UNTIL" -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io
              -o APT::Install-Recommends=false -o APT::Install-Suggests=false)
  (
    flock 9
    in_chroot apt-get "${opts[@]}" "$@" >>"$WORK/apt.log" 2>&1
  ) 9>"$GH_CACHE_DIR/apt-archives.lock" || { tail -n 30 "$WORK/apt.log" >&2; die "apt-get $1 inside the chroot failed"; }
}

# Brings the rootfs up to date with $SUITE-updates/-security (once) and installs packages.
debian_apt_install() {
  local before
  before=$(wc -l <"$WORK/apt.log" 2>/dev/null || echo 0)
  if [ "$DEBIAN_APT_UPDATED" = 0 ]; then
    say "applying $SUITE updates inside the chroot"
    debian_apt update
    debian_apt upgrade
    DEBIAN_APT_UPDATED=1
  fi
  if [ "$#" -gt 0 ]; then
    say "apt-get install $*"
    debian_apt install "$@"
  fi
  tail -n "+$((before + 1))" "$WORK/apt.log" | grep -E '^(Inst|[0-9]+ upgraded)' | sed "s/^/[${GH_LOG_TAG:-debian}]   /" || true
}

# Removes what a container service does not need: docs (copyright files stay), man/info pages,
# translations (C.UTF-8 stays), apt lists and caches, logs, /dev contents, apt sources,
# resolv.conf/hostname (docker mounts its own), machine-id. Unmounts the chroot first.
debian_strip() {
  say "stripping docs, man pages, locales, caches"
  if [ "$DEBIAN_APT_UPDATED" = 1 ]; then debian_apt autoclean; fi  # old .debs out of the shared cache
  debian_unmount_all
  if debian_still_mounted; then die "could not unmount $ROOTFS/{proc,dev,var/cache/apt/archives,var/lib/apt/lists}"; fi
  in_chroot apt-get clean >/dev/null 2>&1 || true
  rm -f "$ROOTFS/usr/sbin/policy-rc.d"
  (
    cd "$ROOTFS"
    find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    find usr/share/doc -mindepth 1 -type d -empty -delete
    rm -rf usr/share/man/* usr/share/info/* usr/share/groff/* usr/share/lintian/* usr/share/linda/*
    find usr/share/locale -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
    find usr/lib/locale -mindepth 1 -maxdepth 1 ! -name 'C.utf8' ! -name 'C.UTF-8' -exec rm -rf {} +
    rm -rf var/lib/apt/lists/* var/cache/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old
    rm -rf var/log/* tmp/* var/tmp/* root/.bash_history debootstrap
    rm -rf dev/*                     # docker provides /dev
    # no apt sources in the image (nothing apt-installs into a running container)
    : >etc/apt/sources.list
    rm -f etc/resolv.conf etc/hostname
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
}

# tar $ROOTFS | docker import IMAGE, with a commit message ($2) and the remaining arguments
# (--change '...') passed on. The image this replaces is removed if no container uses it.
debian_import() {
  local image="$1" message="$2" old_id new_id
  shift 2
  say "docker import -> $image"
  old_id="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  tar --numeric-owner -C "$ROOTFS" -c . | docker import "$@" --message "$message" - "$image" >/dev/null
  new_id="$(docker image inspect --format '{{.Id}}' "$image")"
  if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
  say "image $image: $(mb "$(docker image inspect --format '{{.Size}}' "$image")") ($new_id)"
}
