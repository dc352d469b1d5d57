#!/usr/bin/env bash
# In-process microbenchmarks (JMH, src/jmh/java): the routing decision per call (RoutingBench) and the cost of
# metrics and tracing per call (ObservabilityBench), each against the same path without it, in one run.
# Usage: bench/micro.sh [JMH options, e.g. a benchmark regex or -f 2]
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/java25.sh
. bench/lib.sh
jmh_classpath
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$CP" org.openjdk.jmh.Main -rf text -rff bench/out/micro.txt "${@:-.*Bench}"
