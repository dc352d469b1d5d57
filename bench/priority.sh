#!/usr/bin/env bash
# Priority in the queue, side by side in one run: STANDARD callers (default 24) of an ordinary organization and
# PRIORITY callers (default 8) of one with the priority tier share the small stories model (llama.cpp in-process,
# SLOTS slots, default 2), calling streamed chat completions in a loop for DURATION seconds (default 60) per phase.
# Phase fifo: everyone waits in arrival order (the priority organization asks for service_tier "default"); phase
# priority: the priority organization's calls go first. Reports calls, errors and time to first token (p50/p95/p99)
# per group and phase. Loopback only; loops end at the deadline.
# Usage: bench/priority.sh   Environment: STANDARD (24), PRIORITY (8), SLOTS (2), DURATION (s, 60)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
. bench/lib.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
STANDARD=${STANDARD:-24}
PRIORITY=${PRIORITY:-8}
SLOTS=${SLOTS:-2}
SECONDS_RUN=${DURATION:-60}
PORT=18131
KEY=tdm_bench_admin_0123456789abcdef
OUT=bench/out; mkdir -p "$OUT"
RESULTS="$OUT/priority-$(date -u +%Y%m%dT%H%M%SZ).tsv"
WORK=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  cp "$WORK/tandem.log" "$OUT/priority-tandem.log" 2>/dev/null || true; rm -rf "$WORK"
}
trap cleanup EXIT

[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
cat > "$WORK/tandem.yaml" <<YAML
tandem:
  inference:
    models:
      - id: stories
        engine: llamacpp
        path: $PWD/../shared/models/stories260K.gguf
        context-size: 512
        parallel: $SLOTS
        threads: 2
        max-queue: 1000
        queue-timeout: 5m
YAML
(cd "$WORK" && exec env TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=$PORT \
  TANDEM_DATA_DIR="$WORK/data" "$JAVA" -Xmx2g -jar "$OLDPWD/target/tandem.jar" > "$WORK/tandem.log" 2>&1) &
TPID=$!; pids+=($TPID)
wait_http "http://127.0.0.1:$PORT/readyz"
BASE="http://127.0.0.1:$PORT"
admin() { curl -sf -X "$1" "$BASE$2" -H "authorization: Bearer $KEY" -H 'content-type: application/json' ${3:+-d "$3"}; }
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -1; }
ORG_STANDARD=$(admin POST /v1/admin/organizations '{"name":"standard","billing_mode":"unlimited"}' | json_field id)
ORG_PRIORITY=$(admin POST /v1/admin/organizations '{"name":"priority","billing_mode":"unlimited"}' | json_field id)
admin PATCH "/v1/admin/organizations/$ORG_PRIORITY" '{"priority_tier":true}' >/dev/null
KEY_STANDARD=$(admin POST "/v1/admin/organizations/$ORG_STANDARD/api_keys" '{"name":"bench","role":"developer"}' | json_field secret)
KEY_PRIORITY=$(admin POST "/v1/admin/organizations/$ORG_PRIORITY/api_keys" '{"name":"bench","role":"developer"}' | json_field secret)
{
  machine_line
  echo "# $STANDARD standard + $PRIORITY priority callers, $SECONDS_RUN s per phase, llama.cpp slots $SLOTS, stories260K, 48 tokens"
  for phase in fifo priority; do
    "$JAVA" bench/priority/PriorityLoad.java "$BASE" $phase "$KEY_STANDARD" "$KEY_PRIORITY" "$STANDARD" "$PRIORITY" "$SECONDS_RUN"
  done
} | tee "$RESULTS"
echo "results: $RESULTS"
