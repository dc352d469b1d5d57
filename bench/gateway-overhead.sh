#!/usr/bin/env bash
# Gateway overhead, side by side in one run: a fast OpenAI-compatible upstream on loopback called directly,
# through Tandem (key authentication, rate limits, routing and durable metering on: "tandem"), through Tandem
# with metering off (key authentication on: "tandem-auth", TANDEM_METERING=false), and through Portkey's
# open-source gateway. Plain and streamed
# (64 chunks) calls, at concurrency 1, at concurrency 64 flat out (throughput), and at concurrency 64 at a fixed
# rate (latency under load). Rounds are interleaved; the summary gives medians and ratios.
#
# Needs: wrk (apt-get install wrk), node/npm (Portkey from npm, installed into bench/portkey), Java 25.
# Usage: bench/gateway-overhead.sh   Environment: DURATION (s, 10), ROUNDS (3), RATE (req/s, 1000), WARMUP (s, 15)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
. bench/lib.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-1000}
UP_PORT=9101; TANDEM_PORT=18080; AUTH_PORT=18082; PORTKEY_PORT=8787
KEY=tdm_bench_key_0123456789abcdef
OUT=bench/out; mkdir -p "$OUT"
RESULTS="$OUT/gateway-$(date -u +%Y%m%dT%H%M%SZ).tsv"
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
if [ ! -d bench/portkey/node_modules/@portkey-ai/gateway ]; then
  (cd bench/portkey && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
fi

fast_upstream $UP_PORT
(cd "$WORK" && TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=$TANDEM_PORT \
  TANDEM_DATA_DIR="$WORK/data" exec "$JAVA" -jar "$OLDPWD/target/tandem.jar" > "$WORK/tandem.log" 2>&1) & TANDEM_PID=$!
pids+=($TANDEM_PID)
(cd bench/portkey && exec node node_modules/@portkey-ai/gateway/build/start-server.js --port=$PORTKEY_PORT --headless \
  > "$WORK/portkey.log" 2>&1) & PORTKEY_PID=$!; pids+=($PORTKEY_PID)
mkdir -p "$WORK/auth"
(cd "$WORK/auth" && TANDEM_METERING=false TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=$AUTH_PORT \
  TANDEM_DATA_DIR="$WORK/auth/data" exec "$JAVA" -jar "$OLDPWD/target/tandem.jar" > "$WORK/auth.log" 2>&1) & AUTH_PID=$!
pids+=($AUTH_PID)
wait_http "http://127.0.0.1:$UP_PORT/"; wait_http "http://127.0.0.1:$TANDEM_PORT/readyz"; wait_http "http://127.0.0.1:$AUTH_PORT/readyz"; wait_http "http://127.0.0.1:$PORTKEY_PORT/"

url() { case $1 in direct) echo "http://127.0.0.1:$UP_PORT/v1/chat/completions";;
  tandem) echo "http://127.0.0.1:$TANDEM_PORT/v1/chat/completions";;
  tandem-auth) echo "http://127.0.0.1:$AUTH_PORT/v1/chat/completions";; portkey) echo "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions";; esac; }
pid_of() { case $1 in direct) echo $UP_PID;; tandem) echo $TANDEM_PID;; tandem-auth) echo $AUTH_PID;; portkey) echo $PORTKEY_PID;; esac; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

run() { # target mode(plain|stream) load(c1|c64|c64rate) seconds
  local target=$1 mode=$2 load=$3 secs=$4 conns=1 rate=""
  [ "$load" != c1 ] && conns=64
  [ "$load" = c64rate ] && rate=$RATE
  local pid; pid=$(pid_of "$target")
  local t0; t0=$(ticks "$pid")
  local line
  line=$(BENCH_STREAM=$([ "$mode" = stream ] && echo 1 || echo 0) \
    BENCH_AUTH=$(case $target in tandem*) echo $KEY;; *) echo sk-bench;; esac) \
    BENCH_EXTRA_HEADERS=$([ "$target" = portkey ] && echo "x-portkey-provider: openai;x-portkey-custom-host: http://127.0.0.1:$UP_PORT/v1" || echo "") \
    BENCH_RATE=$rate BENCH_CONNECTIONS=$([ -n "$rate" ] && echo $conns || echo "") \
    wrk -t1 -c$conns -d${secs}s --timeout 10s -s bench/wrk/chat.lua "$(url "$target")" | grep '^RESULT' || echo "RESULT rps=0 p50_us=0 p90_us=0 p99_us=0 requests=0 bad=0")
  local t1; t1=$(ticks "$pid")
  echo "$line" | sed -E "s/^RESULT /round=$ROUND target=$target mode=$mode load=$load cpu_ticks=$((t1 - t0)) rss_kb=$(rss_kb "$pid") /"
}

machine_line | tee "$RESULTS"
echo "# warm-up" >&2
ROUND=0
for t in direct tandem tandem-auth portkey; do for m in plain stream; do run $t $m c64 "${WARMUP:-15}" > /dev/null; run $t $m c1 5 > /dev/null; done; done
for ROUND in $(seq 1 "$ROUNDS"); do
  for load in c1 c64 c64rate; do
    for mode in plain stream; do
      for t in direct tandem tandem-auth portkey; do
        run $t $mode $load "$DURATION" | tee -a "$RESULTS"
      done
    done
  done
done
python3 bench/summarize-gateway.py "$RESULTS" "$(getconf CLK_TCK)"
