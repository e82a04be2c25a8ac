#!/usr/bin/env bash
# Latency the portal adds on POST /v1/chat/completions, measured against a scripted model server.
#
#   bench/run.sh [--rate N] [--seconds N] [--warmup N]      (defaults: 500 req/s, 20 s, 10 s)
#
# Builds the appliance (main jar and test-jar) and the bench module, then runs the benchmark in its own JVM.
# Progress goes to stderr, the result table to stdout. Takes about 4 x (warmup + seconds) plus ~15 s of setup.
# Extra JVM flags: BENCH_JAVA_OPTS="...". Skip the build when nothing changed: BENCH_SKIP_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

. scripts/jdk.sh
find_jdk
jdk="$JAVA_HOME"
export JAVA_HOME="$jdk"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  # -DskipTests skips running the tests but still compiles them and packages the appliance test-jar
  # (TestPortal, ScriptedModelServer); -Dmaven.test.skip=true would not build it.
  ./mvnw -q -B -DskipTests -pl bench -am package
fi

classpath_file="$root/bench/target/bench.classpath"
if [[ ! -f "$classpath_file" || ! -d "$root/bench/target/classes" ]]; then
  echo "bench/run.sh: $classpath_file is missing; run without BENCH_SKIP_BUILD=1." >&2
  exit 1
fi

# G1 with a fixed, pre-touched heap so heap growth does not show up as latency; C2 on (the Micronaut parent's
# exec:exec setup would run with -XX:TieredStopAtLevel=1, which is why this uses plain java).
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" \
  -Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -Dlogback.configurationFile=logback-bench.xml \
  ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  io.gatehouse.bench.ChatCompletionsBench "$@"
