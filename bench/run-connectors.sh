#!/usr/bin/env bash
# Connector numbers: latency ConnectorBroker adds to a tool call (vs. a direct MCP client), container
# start-to-healthy with the Docker runtime, and idle memory of the SQL connector (container and child process).
#
#   bench/run-connectors.sh [--calls N] [--warmup N] [--block N] [--starts K] [--no-docker]
#                           (defaults: 2000 calls per path, 500 warm-up, blocks of 50, 5 container starts)
#
# Builds and installs the reactor (appliance main jar and test-jar, the SQL connector jar; the connector image
# with Jib only when gatehouse/connector-sql:0.1.0 is not in the engine yet), then runs the benchmark in its own
# JVM. Needs a running Docker engine unless --no-docker. Progress goes to stderr, the result table to stdout.
# Takes about a minute after the build. Extra JVM flags: BENCH_JAVA_OPTS="...". Skip the build: BENCH_SKIP_BUILD=1.
# Rebuild the image even when it exists: BENCH_REBUILD_IMAGE=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

. scripts/jdk.sh
find_jdk
jdk="$JAVA_HOME"
export JAVA_HOME="$jdk"
# The process runtime starts connectors with the portal's own java; keep it the JDK 25 found above.
export PATH="$JAVA_HOME/bin:$PATH"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  build_flags=(-q -B -DskipTests)
  # Jib needs the engine and the base image; skip it when the connector image is already there (or not wanted).
  no_docker=0
  for arg in "$@"; do
    if [[ "$arg" == "--no-docker" ]]; then no_docker=1; fi
  done
  if [[ "$no_docker" == "1" ]] \
      || { [[ "${BENCH_REBUILD_IMAGE:-0}" != "1" ]] && docker image inspect gatehouse/connector-sql:0.1.0 >/dev/null 2>&1; }; then
    build_flags+=(-Djib.skip=true)
  fi
  # -DskipTests still compiles the tests and packages the appliance test-jar (TestPortal, SharedPostgres);
  # -Dmaven.test.skip=true would not build it.
  ./mvnw "${build_flags[@]}" install
fi

classpath_file="$root/bench/target/bench.classpath"
if [[ ! -f "$classpath_file" || ! -d "$root/bench/target/classes" ]]; then
  echo "bench/run-connectors.sh: $classpath_file is missing; run without BENCH_SKIP_BUILD=1." >&2
  exit 1
fi
if [[ ! -f "$root/connectors/sql/target/connector-sql.jar" ]]; then
  echo "bench/run-connectors.sh: connectors/sql/target/connector-sql.jar is missing; run without BENCH_SKIP_BUILD=1." >&2
  exit 1
fi

# Fixed, pre-touched heap so heap growth does not show up as latency; C2 on (plain java, not exec:exec).
# The working directory must stay the project root: the benchmark finds connectors/<kind>/target there.
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" \
  -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -Dlogback.configurationFile=logback-bench.xml \
  ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  io.gatehouse.bench.ConnectorBench "$@"
