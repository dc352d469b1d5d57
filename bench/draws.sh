#!/usr/bin/env bash
# Durable ten-pulls per second on SQLite and on PostgreSQL, side by side in one run (src/jmh/java/dev/tandem/gacha/
# DrawThroughput.java): two Tandems in one JVM take turns, each client thread drawing for its own wallet through
# Draws.draw (gems, cards, shards, pity and nonce in one committed transaction). PostgreSQL: TANDEM_TEST_PG
# (default 127.0.0.1:5432, user postgres); skipped, with the reason, where none answers. Results: bench/out/draws.txt.
# Usage: bench/draws.sh [threads=16] [seconds=5] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
mkdir -p bench/out
. bench/lib.sh
jmh_classpath
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Dlogging.level.root=warn -cp "$CP" dev.tandem.gacha.DrawThroughput \
  "${1:-16}" "${2:-5}" "${3:-3}" bench/out/draws.txt
