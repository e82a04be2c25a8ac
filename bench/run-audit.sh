#!/usr/bin/env bash
# Audit append throughput and latency: AuditTrail.record from 1, 8, 32, 128 concurrent writers (virtual threads) on a
# real portal (on the PostgreSQL servers below). Per writer count: rows/s, latency p50/p90/p99/max from the call to the
# committed acknowledgement, rows per commit, CPU and load average; then the checks that nothing was lost (the run's
# rows in audit_events are exactly the acknowledged seqs) and that ChainVerifier walks the whole table intact.
#
#   bench/run-audit.sh [--seconds N] [--warmup N] [--writers 1,8,32,128] [--database embedded|durable|both] [--compare]
#                      (defaults: 20 s measured and 5 s warm-up per writer count, both databases)
#
# Two databases, each with a portal of its own: "embedded" is the PostgreSQL the portal starts itself when no
# GATEHOUSE_DATABASE_URL is set, with the settings it runs (zonky's: fsync off, synchronous_commit off); "durable"
# is the same server started with fsync and synchronous_commit on, as PostgreSQL ships and production servers run,
# where every commit waits for the disk. --compare runs two append paths side by side, taking turns every second on
# one chain: "before" (BaselineAuditTrail, the writer as of commit 4e0b185) and "after" (the portal's AuditTrail);
# measured seconds and warm-up are then per path.
#
# Builds the appliance (main jar and test-jar with TestPortal) and the bench module, then runs the benchmark in its
# own JVM. Progress goes to stderr, the result table to stdout; exits with status 1 when a check fails. Takes about
# (warmup + seconds + a few seconds of checking) per writer count and database, plus ~15 s of setup per database.
# Extra JVM flags: BENCH_JAVA_OPTS="...". Skip the build when nothing changed: BENCH_SKIP_BUILD=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

. scripts/jdk.sh
find_jdk
jdk="$JAVA_HOME"
export JAVA_HOME="$jdk"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  # -DskipTests still compiles the tests and packages the appliance test-jar (TestPortal, SharedPostgres);
  # -Dmaven.test.skip=true would not build it.
  ./mvnw -q -B -DskipTests -pl bench -am package
fi

classpath_file="$root/bench/target/bench.classpath"
if [[ ! -f "$classpath_file" || ! -d "$root/bench/target/classes" ]]; then
  echo "bench/run-audit.sh: $classpath_file is missing; run without BENCH_SKIP_BUILD=1." >&2
  exit 1
fi

# Fixed, pre-touched heap so heap growth does not show up as latency; C2 on (plain java, not exec:exec).
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" \
  -Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -Dlogback.configurationFile=logback-bench.xml \
  ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  io.gatehouse.bench.AuditAppendBench "$@"
