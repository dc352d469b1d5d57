# Shared by the load benchmarks (sourced): waiting for servers, CPU readings, the machine line, the fast upstream.

# wait_http URL: waits up to 60 s for URL to answer, or stops the benchmark.
wait_http() {
  for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; exit 1
}

# ticks PID: CPU ticks (user + system) the process has used so far.
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# machine_line: the "# machine: …" line every result file starts with.
machine_line() {
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); Java: $("$JAVA" -version 2>&1 | head -1)"
}

# fast_upstream PORT: starts bench/upstream/FastUpstream.java on PORT (UP_PID, added to pids) and writes
# $WORK/tandem.yaml with model "bench" served by it.
fast_upstream() {
  "$JAVA" bench/upstream/FastUpstream.java "$1" 64 > "$WORK/upstream.log" 2>&1 & UP_PID=$!; pids+=($UP_PID)
  cat > "$WORK/tandem.yaml" <<YAML
tandem:
  inference:
    models:
      - id: bench
        engine: openai
        base-url: http://127.0.0.1:$1/v1
        api-key: sk-bench
YAML
}

# jmh_classpath: compiles the JMH profile (src/jmh) and sets CP to the test classes with every dependency.
jmh_classpath() {
  ./mvnw -q -B -ntp -Pjmh -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath \
    -Dmdep.includeScope=test >/dev/null
  CP="target/test-classes:target/classes:$(cat target/jmh.classpath)"
}
