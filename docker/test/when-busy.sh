#!/usr/bin/env bash
# when-busy.sh HOST SIGNAL PID: waits (up to 90 s) until the worker whose /v1/info listens on HOST:8080
# runs a task, then sends SIGNAL to PID (the worker's JVM, as the host sees it). Polls every 20 ms:
# a task of the test's query may last well under a second.
set -euo pipefail
deadline=$(( $(date +%s) + 90 ))
until curl -fsS --max-time 1 "http://$1:8080/v1/info" 2>/dev/null | grep -q '"runningTasks":[1-9]'; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "when-busy: the worker at $1 ran no task within 90 s" >&2; exit 1; }
  sleep 0.02
done
kill -s "$2" "$3"
