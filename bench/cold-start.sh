#!/usr/bin/env bash
# Cold start to ready, without a model load, and idle memory, for both ways to run Tandem:
#   jar:    java -jar target/tandem.jar
#   tandem: ./tandem (the extracted jar with the JDK 25 AOT cache it prepares once per build)
# Each start uses a fresh data directory (SQLite created and migrated, owner bootstrapped) and is timed until
# /readyz answers 200; RSS is read after the process has idled. Runs alternate; medians at the end.
# Usage: bench/cold-start.sh     Environment: RUNS (5), IDLE (s, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RUNS=${RUNS:-5}; IDLE=${IDLE:-5}; PORT=18095
[ -f target/tandem.jar ] || ./mvnw -q -B -ntp -DskipTests package
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $("$JAVA" -version 2>&1 | head -1)"

start_one() { # mode workdir
  if [ "$1" = jar ]; then
    (cd "$2" && TANDEM_PORT=$PORT TANDEM_DATA_DIR="$2/data" TANDEM_MODEL= exec "$JAVA" -jar "$OLDPWD/target/tandem.jar" > "$2/log" 2>&1) &
  else
    (cd "$2" && TANDEM_PORT=$PORT TANDEM_DATA_DIR="$2/data" TANDEM_MODEL= exec "$OLDPWD/tandem" > "$2/log" 2>&1) &
  fi
  echo $!
}
wait_ready() { until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q 200; do sleep 0.02; done; }

# let ./tandem prepare its cache outside the timed runs
w=$(mktemp -d); pid=$(start_one tandem "$w"); wait_ready; kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$w"

declare -A ready rss
for run in $(seq 1 "$RUNS"); do
  for mode in jar tandem; do
    w=$(mktemp -d)
    t0=$(date +%s%N)
    pid=$(start_one "$mode" "$w")
    wait_ready
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    sleep "$IDLE"
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$w"
    echo "run $run $mode: ready in $ms ms, idle RSS $((kb / 1024)) MiB"
    ready[$mode]="${ready[$mode]:-} $ms"; rss[$mode]="${rss[$mode]:-} $((kb / 1024))"
  done
done
median() { printf '%s\n' $@ | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for mode in jar tandem; do
  echo "RESULT mode=$mode ready_ms_median=$(median ${ready[$mode]}) idle_rss_mib_median=$(median ${rss[$mode]})"
done
