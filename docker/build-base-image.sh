#!/usr/bin/env bash
# Builds the local base image glaux-base:bookworm without a registry: debootstrap --variant=minbase
# bookworm into a temporary directory, trim documentation and package caches, `podman import`.
# Reuses the image when it exists (pass --rebuild to build it again). Needs root (debootstrap).
#
#   docker/build-base-image.sh [--rebuild] [--mirror URL]
#
# Users who can pull from a registry do not need this: pass --build-arg BASE_IMAGE=debian:bookworm-slim
# to docker/build-image.sh (or `podman build`) instead.
set -euo pipefail
IMAGE=${GLAUX_BASE_IMAGE:-localhost/glaux-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
REBUILD=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) REBUILD=true ;;
    --mirror) MIRROR=$2; shift ;;
    *) echo "usage: $0 [--rebuild] [--mirror URL]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$REBUILD" = false ] && podman image exists "$IMAGE"; then
  echo "base image $IMAGE exists (--rebuild to build it again)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "debootstrap needs root" >&2; exit 1; }

ROOTFS=$(mktemp -d /var/tmp/glaux-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
start=$(date +%s)
# curl: the image's HEALTHCHECK; tini is not needed (java handles SIGTERM as PID 1 via the entry point's exec)
debootstrap --variant=minbase --include=curl bookworm "$ROOTFS" "$MIRROR" > "$ROOTFS.log" 2>&1 || {
  tail -30 "$ROOTFS.log" >&2; echo "debootstrap failed (log: $ROOTFS.log)" >&2; exit 1; }
rm -f "$ROOTFS.log"
# nothing in the image installs packages later: drop what only apt, people and other locales read
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* \
  "$ROOTFS"/usr/share/common-licenses "$ROOTFS"/var/log/* "$ROOTFS"/usr/share/zoneinfo/right "$ROOTFS"/usr/share/zoneinfo/posix
# nor are Perl (debconf's), iconv modules (Java has its own charsets) and apt itself: the image is a
# runtime, rebuilt rather than upgraded in place (dpkg's database stays, for image scanners)
rm -rf "$ROOTFS"/usr/bin/perl* "$ROOTFS"/usr/lib/x86_64-linux-gnu/perl-base "$ROOTFS"/usr/share/perl5 \
  "$ROOTFS"/usr/lib/x86_64-linux-gnu/gconv "$ROOTFS"/usr/bin/apt* "$ROOTFS"/usr/lib/apt "$ROOTFS"/usr/lib/x86_64-linux-gnu/libapt-* \
  "$ROOTFS"/var/cache/debconf/* "$ROOTFS"/usr/share/zoneinfo "$ROOTFS"/usr/lib/x86_64-linux-gnu/libdb-5.3.so
echo "glaux-base" > "$ROOTFS/etc/hostname"
tar --numeric-owner -C "$ROOTFS" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  --message "debootstrap --variant=minbase bookworm" - "$IMAGE" >/dev/null
echo "built base image $IMAGE in $(( $(date +%s) - start )) s: $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
