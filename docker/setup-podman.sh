#!/usr/bin/env bash
# Installs Podman and its tools from Debian and writes the containers.conf this kind of machine needs.
# Idempotent; run as root (CI runs it through .ci/run). Safe to run again.
#   - runtime runc: crun fails on hosts with cgroups v1/hybrid ("cgroups in hybrid mode not supported")
#   - explicit ulimits: Podman's default nofile (1048576) is above the hard limit of many CI hosts,
#     and starting any container then fails with "operation not permitted"
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(podman runc debootstrap buildah podman-compose curl)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-podman: missing packages ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

hard_nofile=$(ulimit -Hn)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
nofile=$(( hard_nofile < 65536 ? hard_nofile : 65536 ))
CONF=/etc/containers/containers.conf
if [ "$(id -u)" -eq 0 ] && ! grep -q '^# glaux: written by docker/setup-podman.sh' "$CONF" 2>/dev/null; then
  if [ -f "$CONF" ]; then
    cp "$CONF" "$CONF.before-glaux"
  fi
  mkdir -p /etc/containers
  cat > "$CONF" <<CONFEOF
# glaux: written by docker/setup-podman.sh (the previous file, if any, is in containers.conf.before-glaux)
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=4096:4096"]

[engine]
runtime = "runc"
CONFEOF
fi
podman info --format '{{.Host.OCIRuntime.Name}} {{.Version.Version}}' >/dev/null
