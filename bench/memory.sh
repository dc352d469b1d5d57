#!/usr/bin/env bash
# Companion memory (JMH, src/jmh/java): ChatMemory.recall over one SQLite chat of 10,000 memories, the query's
# embedding included; the whole prompt assembly of a reply (recall for the turn + PromptBuilder on a real card
# with 40 turns of history); beside the embedding alone; SampleTime, so p50/p99 are printed. Setup embeds the 10,000
# memories for real (about 10-20 s). Results: bench/out/memory.txt.
# Usage: bench/memory.sh [JMH options]   (default: 1 fork, 2 warm-ups and 3 measurements of 5 s each)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
mkdir -p bench/out
. bench/lib.sh
jmh_classpath
if [ $# -eq 0 ]; then set -- MemoryRecallBench -f 1 -wi 2 -w 5s -i 3 -r 5s; fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$CP" org.openjdk.jmh.Main -rf text -rff bench/out/memory.txt "$@"
