#!/usr/bin/env bash
# The companion app under load, side by side in one run: PEOPLE simulated people (default 50) chat at once for
# DURATION seconds (default 120) with one short character on the small stories model (context 1024) (llama.cpp in-process), each sending a
# message, reading the streamed reply, thinking 1-3 s, and again (app); then the same number of callers send the
# same first-turn prompt straight to /v1/chat/completions for the same time (api): the platform without the app.
# Reports errors and time to first token (p50/p95/p99) per phase. Loopback only; loops end at the deadline.
# Usage: bench/chat-load.sh   Environment: PEOPLE (50), DURATION (s, 120), SLOTS (llama parallel slots, 4)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
. bench/lib.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PEOPLE=${PEOPLE:-50}
SECONDS_RUN=${DURATION:-120}
SLOTS=${SLOTS:-4}
PORT=18121
KEY=tdm_bench_admin_0123456789abcdef
OUT=bench/out; mkdir -p "$OUT"
RESULTS="$OUT/chat-load-$(date -u +%Y%m%dT%H%M%SZ).tsv"
WORK=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  cp "$WORK/tandem.log" "$OUT/chat-load-tandem.log" 2>/dev/null || true; rm -rf "$WORK"
}
trap cleanup EXIT

[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/load.classpath >/dev/null
CP="target/classes:$(cat target/load.classpath)"
cat > "$WORK/tandem.yaml" <<YAML
tandem:
  inference:
    models:
      - id: stories
        engine: llamacpp
        path: $PWD/../shared/models/stories260K.gguf
        context-size: 1024
        parallel: $SLOTS
        threads: 2
  companion:
    model: stories
    context-tokens: 1024
    reply-tokens: 32
YAML
(cd "$WORK" && exec env TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=$PORT \
  TANDEM_DATA_DIR="$WORK/data" "$JAVA" -Xmx2g -jar "$OLDPWD/target/tandem.jar" > "$WORK/tandem.log" 2>&1) &
TPID=$!; pids+=($TPID)
wait_http "http://127.0.0.1:$PORT/readyz"
{
  machine_line
  echo "# $PEOPLE people, $SECONDS_RUN s per phase, llama.cpp slots $SLOTS, stories260K, reply 32 tokens"
  for mode in app api; do
    "$JAVA" -cp "$CP" bench/chat/ChatLoad.java "http://127.0.0.1:$PORT" $mode "$PEOPLE" "$SECONDS_RUN" "$KEY"
  done
} | tee "$RESULTS"
echo "results: $RESULTS"
