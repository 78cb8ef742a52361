#!/usr/bin/env bash
# End-to-end test of the container deployment with Podman (docker/README.md): builds the image, then
#   1. compose: starts docker/compose.yaml (object store, metastore, coordinator, two workers, the demo
#      data), checks that only the coordinator holds the CA key (the workers joined with a token), runs queries through the Trino JDBC driver, scrapes /metrics, stops a worker gracefully
#      during a query (the query succeeds), kills a worker during a query (WORKER_FAILED) and checks the
#      next query succeeds, then removes the stack;
#   2. kube: the same against docker/k8s/ under `podman kube play`.
# Exits non-zero on the first failure, with the containers' logs under target/deploy-test/.
# Needs root (or a Podman that can publish ports and mount volumes), Podman set up by
# docker/setup-podman.sh, a JDK 25 and ~/.m2 holding the Trino JDBC driver (mvn verify puts it there).
#
#   docker/test/deploy-test.sh [--no-build] [--only compose|kube] [--keep]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BUILD=true
ONLY=
KEEP=false
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=false ;;
    --only) ONLY=$2; shift ;;
    --keep) KEEP=true ;;
    *) echo "usage: $0 [--no-build] [--only compose|kube] [--keep]" >&2; exit 2 ;;
  esac
  shift
done

PROJECT=glaux-deploy-test
PORT=${GLAUX_TEST_PORT:-18443}
S3_PORT=${GLAUX_TEST_S3_PORT:-19878}
ROWS_PER_DAY=${GLAUX_TEST_ROWS_PER_DAY:-200000}
OUT="$ROOT/target/deploy-test"
# GLAUX_TEST_IMAGE: another tag (docker/build-image.sh --tag), e.g. when several checkouts share Podman
IMAGE=${GLAUX_TEST_IMAGE:-localhost/glaux:latest}
export GLAUX_IMAGE=$IMAGE
rm -rf "$OUT"
mkdir -p "$OUT"
START=$(date +%s)

log() { printf '[deploy-test %4ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }
die() { log "FAILED: $*"; dump_logs; exit 1; }

JDK=
for candidate in "${JAVA_HOME_25:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -q '"25'; then JDK=$candidate; break; fi
done
[ -n "$JDK" ] || die "no JDK 25"
TRINO_JDBC_VERSION=$(sed -n 's:.*<trino.jdbc.version>\(.*\)</trino.jdbc.version>.*:\1:p' pom.xml)
TRINO_JDBC="$HOME/.m2/repository/io/trino/trino-jdbc/$TRINO_JDBC_VERSION/trino-jdbc-$TRINO_JDBC_VERSION.jar"
[ -f "$TRINO_JDBC" ] || mvn -B -q dependency:get -Dartifact="io.trino:trino-jdbc:$TRINO_JDBC_VERSION" >/dev/null
[ -f "$TRINO_JDBC" ] || die "no Trino JDBC driver at $TRINO_JDBC"
command -v podman >/dev/null || die "podman is not installed (docker/setup-podman.sh)"
command -v podman-compose >/dev/null || die "podman-compose is not installed (docker/setup-podman.sh)"

check() { "$JDK/bin/java" -cp "$TRINO_JDBC" "$ROOT/docker/test/DeployCheck.java" "$@"; }

CONTAINERS=()
dump_logs() {
  for container in $(podman ps -a --format '{{.Names}}' | grep -E "^(${PROJECT}_|glaux-)" || true); do
    podman logs "$container" > "$OUT/$container.log" 2>&1 || true
  done
  log "container logs in $OUT"
}

# podman-compose 1.0 ignores depends_on conditions and, here, sometimes fails to publish a port on the
# first start ("address already in use" from a port it reserved itself): start what stayed Created
start_created() {
  for attempt in 1 2 3; do
    created=$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --filter status=created --format '{{.Names}}')
    [ -z "$created" ] && return 0
    for container in $created; do podman start "$container" >/dev/null 2>&1 || true; done
    sleep 2
  done
  [ -z "$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --filter status=created --format '{{.Names}}')" ] || die "containers would not start: $created"
}

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what"
    sleep 2
  done
}

workers_are() {  # workers_are CA N: the coordinator lists exactly N active workers
  [ "$(curl -fsS --max-time 5 --cacert "$1" "https://127.0.0.1:$PORT/v1/node" | grep -o '"nodeId"' | wc -l)" -eq "$2" ]
}

exited_ok() {  # exited_ok CONTAINER: it has exited with 0
  [ "$(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$1")" = "exited 0" ]
}

# A query whose workers stay busy for a while: every row of the table goes back to the client. The
# worker is signalled once it runs a task of it (docker/test/when-busy.sh polls its /v1/info).
BUSY_QUERY="SELECT url, user_agent, status FROM access_logs"
worker_host() {  # worker_host CA NODE_ID: the address the worker announced
  curl -fsS --cacert "$1" "https://127.0.0.1:$PORT/v1/node" | python3 -c "
import json, sys, urllib.parse
print([urllib.parse.urlparse(n['uri']).hostname for n in json.load(sys.stdin) if n['nodeId'] == sys.argv[1]][0])" "$2"
}
TOTAL=$(( 3 * ROWS_PER_DAY ))

# Only the coordinator holds the CA key: it is in the coordinator's container and in no worker's (not in
# any directory, not in the environment); each worker holds its own key and the certificate it got by
# joining with the token (its log says so), signed for its node id.
check_ca_key_only_on_coordinator() {  # check_ca_key_only_on_coordinator COORDINATOR_CONTAINER WORKER_CONTAINER...
  local coordinator=$1 found
  shift
  podman exec "$coordinator" test -s /var/lib/glaux/tls/ca-key.pem || die "the coordinator holds no CA key (the check would prove nothing)"
  for worker in "$@"; do
    found=$(podman exec "$worker" find / -name 'ca-key*' -not -path '/proc/*' -not -path '/sys/*' 2>/dev/null) || true
    [ -z "$found" ] || die "worker $worker holds the CA key: $found"
    podman exec "$worker" sh -c 'env | grep -q "^GLAUX_TLS_CA_KEY_PEM="' && die "worker $worker has the CA key in its environment"
    # the join token reaches the worker process as an owner-only file, never in its environment
    # (podman exec's own shell gets the container's configured environment: look at the JVM's)
    local java_env
    java_env=$(podman exec "$worker" sh -c 'for p in /proc/[0-9]*; do case $(head -c 24 "$p/cmdline" 2>/dev/null) in /opt/glaux/java/bin/java) tr "\0" "\n" < "$p/environ";; esac; done')
    grep -q '^GLAUX_ROLE=worker$' <<<"$java_env" || die "worker $worker: no worker JVM found to check its environment"
    grep -q '^GLAUX_JOIN_TOKEN=' <<<"$java_env" && die "worker $worker has the join token in its environment"
    local token_file
    token_file=$(sed -n 's/^GLAUX_JOIN_TOKEN_FILE=//p' <<<"$java_env" | head -n 1)
    [ -n "$token_file" ] || die "worker $worker got no GLAUX_JOIN_TOKEN_FILE"
    [ "$(podman exec "$worker" stat -L -c %a "$token_file")" = 600 ] || die "worker $worker's join token file $token_file is not 0600"
    local node
    node=$(podman exec "$worker" sh -c 'echo $GLAUX_NODE_ID')
    [ -n "$node" ] || node=$(podman inspect --format '{{.Config.Hostname}}' "$worker")
    podman exec "$worker" test -s "/var/lib/glaux/tls/$node-key.pem" || die "worker $worker has no key of its own in /var/lib/glaux/tls"
    local worker_logs
    worker_logs=$(podman logs "$worker" 2>&1)
    grep -q "Node $node joined with token" <<<"$worker_logs" || die "worker $worker did not join with the token"
    log "worker $worker ($node): joined with the token, own key, no CA key ($(podman exec "$worker" ls /var/lib/glaux/tls | tr '\n' ' '))"
  done
}

run_checks() {  # run_checks CA WORKER_A_CONTAINER WORKER_B_CONTAINER METRICS_COMMAND_PREFIX...
  local ca=$1 worker_a=$2 worker_b=$3
  wait_until 240 "two workers announced" workers_are "$ca" 2
  log "coordinator lists 2 workers"
  check query "127.0.0.1:$PORT" "$ca" "SELECT count(*) FROM access_logs" "$TOTAL" || die "count query"
  check query "127.0.0.1:$PORT" "$ca" "SELECT status, count(*) FROM access_logs GROUP BY status ORDER BY 2 DESC LIMIT 3" || die "group-by query"
  check query "127.0.0.1:$PORT" "$ca" "SELECT count(DISTINCT dt) FROM access_logs WHERE dt >= '2024-03-02'" 2 || die "partition query"

  log "scraping /metrics"
  local metrics
  metrics=$(curl -fsS --cacert "$ca" "https://127.0.0.1:$PORT/metrics") || die "coordinator /metrics"
  echo "$metrics" > "$OUT/coordinator-metrics-$worker_a.txt"
  grep -q '^glaux_workers_active 2$' <<<"$metrics" || die "coordinator metrics lack glaux_workers_active 2"
  grep -q '^jvm_memory_bytes_used{area="heap"} [1-9]' <<<"$metrics" || die "coordinator metrics lack JVM heap"
  grep -Eq '^glaux_queries_completed_total\{outcome="succeeded"\} [1-9]' <<<"$metrics" || die "coordinator metrics count no succeeded query"
  grep -Eq '^glaux_splits_completed_total [1-9]' <<<"$metrics" || die "coordinator metrics count no split"
  local bytes=0 worker_metrics
  for worker in "$worker_a" "$worker_b"; do
    worker_metrics=$(podman exec "$worker" curl -fsS http://127.0.0.1:8080/metrics) || die "$worker /metrics"
    echo "$worker_metrics" > "$OUT/$worker-metrics.txt"
    grep -q '^glaux_arrow_memory_allocated_bytes ' <<<"$worker_metrics" || die "$worker metrics lack Arrow memory"
    bytes=$(( bytes + $(sed -n 's/^glaux_worker_object_store_bytes_read_total \([0-9]*\)$/\1/p' <<<"$worker_metrics") ))
  done
  [ "$bytes" -gt 0 ] || die "workers report no bytes read from the object store"
  log "metrics ok (workers read $bytes bytes from the object store)"

  local node_b host_b
  node_b=$(podman exec "$worker_b" sh -c 'echo $GLAUX_NODE_ID') || die "node id of $worker_b"
  [ -n "$node_b" ] || node_b=$(podman inspect --format '{{.Config.Hostname}}' "$worker_b")
  host_b=$(worker_host "$ca" "$node_b") || die "address of $node_b"

  log "graceful stop (SIGTERM) of $node_b while it runs a task of a query: the query must succeed"
  check stop-during-query "127.0.0.1:$PORT" "$ca" "$BUSY_QUERY" \
    docker/test/when-busy.sh "$host_b" TERM "$(podman inspect --format '{{.State.Pid}}' "$worker_b")" || die "query during a graceful worker stop"
  wait_until 90 "$node_b to stop" sh -c "podman logs $worker_b 2>&1 | grep -q 'Worker $node_b stopped'"
  # read the logs whole first: with pipefail, grep -q closing the pipe early fails podman logs (SIGPIPE)
  local stop_logs
  stop_logs=$(podman logs "$worker_b" 2>&1)
  grep -q "shutting down: withdrawing, waiting up to" <<<"$stop_logs" || die "$node_b did not drain on SIGTERM"
  grep -q "Withdrew from the coordinator" <<<"$stop_logs" || die "$node_b did not withdraw on SIGTERM"
  # compose leaves it stopped; under kube play the pod's restart policy starts it again
  wait_until 60 "$worker_b to exit or restart" sh -c "[ \"\$(podman inspect --format '{{.State.Status}}' $worker_b)\" != stopping ]"
  [ "$(podman inspect --format '{{.State.Status}}' "$worker_b")" = running ] || podman start "$worker_b" >/dev/null
  wait_until 240 "$node_b back" workers_are "$ca" 2
  host_b=$(worker_host "$ca" "$node_b") || die "address of $node_b"

  log "killing (SIGKILL) $node_b while it runs a task of a query: WORKER_FAILED, then the next query succeeds"
  check kill-during-query "127.0.0.1:$PORT" "$ca" "$BUSY_QUERY" \
    docker/test/when-busy.sh "$host_b" KILL "$(podman inspect --format '{{.State.Pid}}' "$worker_b")" || die "kill during query"
  check query "127.0.0.1:$PORT" "$ca" "SELECT count(*) FROM access_logs" "$TOTAL" || die "query after a worker was killed"
  metrics=$(curl -fsS --cacert "$ca" "https://127.0.0.1:$PORT/metrics")
  grep -Eq '^glaux_queries_completed_total\{outcome="failed"\} [1-9]' <<<"$metrics" || die "coordinator metrics count no failed query"
}

if [ "$BUILD" = true ]; then
  log "building the image"
  docker/build-image.sh --tag "$IMAGE"
fi
podman image exists "$IMAGE" || die "no image $IMAGE"
log "image $IMAGE: $(( $(podman image inspect --format '{{.Size}}' "$IMAGE") / 1000000 )) MB"
[ "$(podman image inspect --format '{{.Size}}' "$IMAGE")" -le 300000000 ] || die "the image is larger than 300 MB"

compose_down() {
  podman-compose -p "$PROJECT" -f docker/compose.yaml down -v >> "$OUT/compose.log" 2>&1 || true
  podman volume rm -f $(podman volume ls -q | grep "^${PROJECT}_") >/dev/null 2>&1 || true
  podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true   # podman-compose 1.0 leaves it
}

if [ -z "$ONLY" ] || [ "$ONLY" = compose ]; then
  log "compose: up"
  compose_down
  export GLAUX_HTTPS_PUBLISH=127.0.0.1:$PORT GLAUX_S3_PUBLISH=127.0.0.1:$S3_PORT GLAUX_DEMO_ROWS_PER_DAY=$ROWS_PER_DAY
  trap '[ "$KEEP" = true ] || compose_down' EXIT
  podman-compose -p "$PROJECT" -f docker/compose.yaml up -d > "$OUT/compose.log" 2>&1 || die "podman-compose up (log: $OUT/compose.log)"
  start_created
  wait_until 420 "load-demo to finish" exited_ok "${PROJECT}_load-demo_1"
  log "demo data loaded"
  CA="$OUT/compose-ca.pem"
  cp "$(podman volume inspect --format '{{.Mountpoint}}' "${PROJECT}_coordinator-tls")/ca.pem" "$CA"
  for container in coordinator worker-1; do
    podman exec "${PROJECT}_${container}_1" glaux-healthcheck || die "health check of $container"
  done
  wait_until 240 "two workers announced" workers_are "$CA" 2
  check_ca_key_only_on_coordinator "${PROJECT}_coordinator_1" "${PROJECT}_worker-1_1" "${PROJECT}_worker-2_1"
  run_checks "$CA" "${PROJECT}_worker-1_1" "${PROJECT}_worker-2_1"
  dump_logs
  [ "$KEEP" = true ] || compose_down
  trap - EXIT
  log "compose: passed"
fi

if [ -z "$ONLY" ] || [ "$ONLY" = kube ]; then
  log "kube: play"
  KUBE="$OUT/kube"
  mkdir -p "$KUBE"
  python3 docker/test/podman_kube.py docker/k8s "$KUBE" --port "$PORT" --rows-per-day "$ROWS_PER_DAY" --image "$IMAGE" || die "preparing the manifests"
  kube_down() {
    (cd "$KUBE" && podman kube play --down play.yaml) >> "$OUT/kube.log" 2>&1 || true
    for secret in $(cat "$KUBE/secrets.txt" 2>/dev/null); do podman secret rm "$secret" >/dev/null 2>&1 || true; done
    podman volume rm -f $(podman volume ls -q | grep '^glaux-') >/dev/null 2>&1 || true
    podman network rm -f glaux-kube >/dev/null 2>&1 || true
  }
  kube_down
  trap '[ "$KEEP" = true ] || kube_down' EXIT
  # the cluster's TLS material, made once with the image's tls-init (as docs/deploy.md tells operators)
  mkdir -p "$KUBE/tls" && chmod 777 "$KUBE/tls"
  podman run --rm -v "$KUBE/tls:/var/lib/glaux/tls:Z" -e GLAUX_JOIN_TOKEN_FILE=/var/lib/glaux/tls/join-token \
    "$IMAGE" tls-init glaux-coordinator,glaux-coordinator-pod-0,localhost,127.0.0.1 >> "$OUT/kube.log" 2>&1 || die "tls-init"
  python3 docker/test/podman_kube.py --secrets docker/k8s "$KUBE" || die "creating secrets"
  podman network create glaux-kube >/dev/null
  # from $KUBE: Podman 4 looks for a build directory named after the image in the working directory
  (cd "$KUBE" && podman kube play --network glaux-kube play.yaml) > "$OUT/kube.log" 2>&1 || die "podman kube play (log: $OUT/kube.log)"
  wait_until 420 "the demo data job" exited_ok glaux-load-demo-pod-0-load-demo
  log "demo data loaded"
  wait_until 240 "two workers announced" workers_are "$KUBE/tls/ca.pem" 2
  check_ca_key_only_on_coordinator glaux-coordinator-pod-0-coordinator glaux-worker-pod-0-worker glaux-worker-pod-1-worker
  run_checks "$KUBE/tls/ca.pem" glaux-worker-pod-0-worker glaux-worker-pod-1-worker
  dump_logs
  [ "$KEEP" = true ] || kube_down
  trap - EXIT
  log "kube: passed"
fi
log "all deployment checks passed in $(( $(date +%s) - START )) s"
