#!/usr/bin/env bash
# Local engine: tokens/s a client receives over HTTP streaming from Tandem vs the engine's own decode rate
# (llama.cpp driven directly, same model and settings, same run), and 4 concurrent streams vs 1.
# Usage: bench/local-engine.sh [model.gguf]   Environment: TOKENS (512), THREADS (1), CONTEXT (2048),
#        PARALLEL (4), ROUNDS (3), STALE (0; 1 keeps one Tandem running across rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MODEL=${1:-${TANDEM_TEST_MODEL:-../shared/models/stories260K.gguf}}
MODEL=$(readlink -f "$MODEL")
TOKENS=${TOKENS:-512}; THREADS=${THREADS:-1}; CONTEXT=${CONTEXT:-2048}; PARALLEL=${PARALLEL:-4}; ROUNDS=${ROUNDS:-3}
PORT=18090; KEY=tdm_bench_key_0123456789abcdef
WORK=$(mktemp -d); pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeArtifactIds=llama,annotations >/dev/null
cat > "$WORK/tandem.yaml" <<YAML
tandem:
  inference:
    models:
      - id: bench-local
        engine: llamacpp
        path: $MODEL
        context-size: $CONTEXT
        parallel: $PARALLEL
        threads: $THREADS
YAML
start_tandem() {
  (cd "$WORK" && TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=$PORT TANDEM_DATA_DIR="$WORK/data" \
    exec "$JAVA" -jar "$OLDPWD/target/tandem.jar" > "$WORK/tandem.log" 2>&1) & pid=$!
  for _ in $(seq 1 300); do curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" | grep -q 200 && break; sleep 0.1; done
}
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; model $(basename "$MODEL"); tokens $TOKENS, threads $THREADS, context $CONTEXT x $PARALLEL slots"
# Each round starts Tandem afresh, as the direct measurement loads the model afresh: llama.cpp (this version)
# keeps finished requests in its unified KV cache, and every later step attends over those cells too, so
# both sides are measured from the same clean state. STALE=1 measures a long-running Tandem instead.
results=()
for round in $(seq 1 "$ROUNDS"); do
  if [ "${STALE:-0}" != 1 ] || [ -z "$pid" ]; then
    [ -n "$pid" ] && { kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$WORK/data"; }
    start_tandem
  fi
  line=$("$JAVA" --enable-native-access=ALL-UNNAMED -Dde.kherud.llama.tmpdir="$WORK" -cp "$(cat "$WORK/cp.txt")" \
    bench/engine/EngineBench.java "$MODEL" "http://127.0.0.1:$PORT" "$KEY" "$TOKENS" "$THREADS" "$CONTEXT" "$PARALLEL" 1 \
    2>/dev/null | grep '^RESULT')
  echo "round $round: $line"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | python3 -c '
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=([\d.]+)", l)) for l in sys.stdin if l.strip()]
keys = ["direct_tok_s", "http_tok_s", "http_over_direct", "one_stream_tok_s", "four_streams_tok_s", "four_over_one",
        "direct_four_over_one"]
print("MEDIAN " + " ".join(k + "=" + str(statistics.median(float(r[k]) for r in rows)) for k in keys))
'
