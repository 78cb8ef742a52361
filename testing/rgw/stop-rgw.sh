#!/usr/bin/env bash
# Stops the gateway started by start-rgw.sh and removes its directory.
#   testing/rgw/stop-rgw.sh [DIR]
set -euo pipefail
D=${1:-${GLAUX_RGW_DIR:-/var/tmp/glaux-rgw}}
[ -d "$D/run" ] || exit 0
for pidfile in "$D"/run/*.pid; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
done
for pidfile in "$D"/run/*.pid; do
  [ -f "$pidfile" ] || continue
  for _ in $(seq 1 100); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
done
rm -rf "$D"
