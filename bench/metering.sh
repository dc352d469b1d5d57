#!/usr/bin/env bash
# What metering costs, side by side in one run. A fast OpenAI-compatible upstream on loopback is called
#   direct   - straight, no gateway
#   off      - through Tandem with TANDEM_METERING=false: API key authenticated, nothing admitted, charged or recorded
#   sqlite   - through Tandem, metered, SQLite (embedded default): prepaid organization, priced model, every call
#              admitted (rate limits, credit hold) and settled (ledger entries + usage record) before it completes
#   postgres - the same on PostgreSQL (127.0.0.1:5432, a fresh database per run)
# Plain and streamed calls, at concurrency 1 (added time per request) and 64 flat out (durably settled requests
# per second: usage records written during the run / its duration). Rounds are interleaved; the summary gives
# medians and ratios.
#
# Needs: wrk (apt-get install wrk), sqlite3, psql, Java 25.
# Usage: bench/metering.sh   Environment: DURATION (s, 10), ROUNDS (3), WARMUP (s, 15), PG (host:port, 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
. bench/lib.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
PG=${PG:-127.0.0.1:5432}
UP_PORT=9111
KEY=tdm_bench_admin_0123456789abcdef
OUT=bench/out; mkdir -p "$OUT"
RESULTS="$OUT/metering-$(date -u +%Y%m%dT%H%M%SZ).tsv"
WORK=$(mktemp -d)
PGDB="tandem_bench_$(date +%s)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h "${PG%:*}" -p "${PG#*:}" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk sqlite3 psql curl jq; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
psql -q -h "${PG%:*}" -p "${PG#*:}" -U postgres -d postgres -c "CREATE DATABASE $PGDB" >/dev/null

fast_upstream $UP_PORT
cat >> "$WORK/tandem.yaml" <<YAML
  billing:
    prices:
      - model: bench
        input: "0.50"
        output: "1.50"
        cost-input: "0.20"
        cost-output: "0.60"
YAML

declare -A PORT=([off]=18091 [sqlite]=18092 [postgres]=18093) PID=() USER_KEY=()
start_tandem() { # name, extra environment...
  local name=$1; shift
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env TANDEM_ADMIN_KEY=$KEY TANDEM_CONFIG="$WORK/tandem.yaml" TANDEM_PORT=${PORT[$name]} \
    TANDEM_DATA_DIR="$WORK/$name/data" "$@" "$JAVA" -Xmx1g -jar "$OLDPWD/target/tandem.jar" \
    > "$WORK/$name/tandem.log" 2>&1) &
  PID[$name]=$!; pids+=(${PID[$name]})
}
start_tandem off TANDEM_METERING=false
start_tandem sqlite
start_tandem postgres TANDEM_DB_URL="jdbc:postgresql://$PG/$PGDB" TANDEM_DB_USER=postgres
wait_http "http://127.0.0.1:$UP_PORT/"
for name in off sqlite postgres; do wait_http "http://127.0.0.1:${PORT[$name]}/readyz"; done

# A prepaid organization with credits and a developer key on each node: the full admission and settlement path.
for name in off sqlite postgres; do
  base="http://127.0.0.1:${PORT[$name]}/v1/admin/organizations"
  org=$(curl -sf -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
    -d '{"name":"bench","billing_mode":"prepaid"}' "$base" | jq -r .id)
  curl -sf -o /dev/null -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
    -d '{"amount":"100000.00","idempotency_key":"bench"}' "$base/$org/credits"
  USER_KEY[$name]=$(curl -sf -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
    -d '{"name":"bench","role":"developer"}' "$base/$org/api_keys" | jq -r .secret)
done

usage_records() { # name -> rows in usage_records
  case $1 in
    sqlite) sqlite3 "$WORK/sqlite/data/tandem.db" "SELECT COUNT(*) FROM usage_records" ;;
    postgres) psql -qtA -h "${PG%:*}" -p "${PG#*:}" -U postgres -d "$PGDB" -c "SELECT COUNT(*) FROM usage_records" ;;
    *) echo 0 ;;
  esac
}
target_pid() { # the Java process itself (the subshell's child)
  if [ "$1" = direct ]; then echo $UP_PID; else pgrep -P "${PID[$1]}" java || echo "${PID[$1]}"; fi
}
url() { if [ "$1" = direct ]; then echo "http://127.0.0.1:$UP_PORT/v1/chat/completions";
  else echo "http://127.0.0.1:${PORT[$1]}/v1/chat/completions"; fi; }

run() { # target mode load seconds
  local target=$1 mode=$2 load=$3 secs=$4 conns=1
  [ "$load" = c64 ] && conns=64
  local pid; pid=$(target_pid "$target")
  local t0 r0 line t1 r1
  t0=$(ticks "$pid"); r0=$(usage_records "$target")
  line=$(BENCH_STREAM=$([ "$mode" = stream ] && echo 1 || echo 0) \
    BENCH_AUTH=$([ "$target" = direct ] && echo sk-bench || echo "${USER_KEY[$target]}") \
    wrk -t1 -c$conns -d${secs}s --timeout 10s -s bench/wrk/chat.lua "$(url "$target")" | grep '^RESULT' \
    || echo "RESULT rps=0 p50_us=0 p90_us=0 p99_us=0 requests=0 bad=0")
  t1=$(ticks "$pid"); r1=$(usage_records "$target")
  echo "$line" | sed -E "s/^RESULT /round=$ROUND target=$target mode=$mode load=$load cpu_ticks=$((t1 - t0)) records=$((r1 - r0)) secs=$secs /"
}

TARGETS="direct off sqlite postgres"
machine_line | tee "$RESULTS"
echo "# warm-up" >&2
ROUND=0
for t in $TARGETS; do for m in plain stream; do run $t $m c64 "${WARMUP:-15}" > /dev/null; run $t $m c1 5 > /dev/null; done; done
for ROUND in $(seq 1 "$ROUNDS"); do
  for load in c1 c64; do
    for mode in plain stream; do
      for t in $TARGETS; do
        run $t $mode $load "$DURATION" | tee -a "$RESULTS"
      done
    done
  done
done

# Every settled call balanced: the ledger check of each metered node must pass.
for name in sqlite postgres; do
  extra=(); [ "$name" = postgres ] && extra=(TANDEM_DB_URL="jdbc:postgresql://$PG/$PGDB" TANDEM_DB_USER=postgres)
  if (cd "$WORK/$name" && env TANDEM_DATA_DIR="$WORK/$name/data" "${extra[@]}" "$JAVA" -jar "$OLDPWD/target/tandem.jar" \
      ledger verify > "$WORK/$name/verify.log" 2>&1); then
    echo "# ledger verify ($name): clean" | tee -a "$RESULTS"
  else
    echo "# ledger verify ($name): FAILED"; cat "$WORK/$name/verify.log"; exit 1
  fi
done
python3 bench/summarize-metering.py "$RESULTS" "$(getconf CLK_TCK)"
