#!/usr/bin/env bash
# Does sign-in timing reveal whether an email has an account? Times POST /api/v1/auth/login with a wrong password
# for existing accounts and for unknown emails (and, for scale, the right password for non-admin accounts) against
# a real portal, the three cases interleaved in blocks after a warm-up, and prints median/p90/p99 per case and the
# unknown/known ratio at the median and p90 (with a bootstrap 95% interval).
#
#   bench/run-signin.sh [--samples N] [--warmup N] [--block N]      (defaults: 150 per case, 30 warm-up, blocks of 10)
#
# Rate limits (LoginThrottle: per email a delay from the 3rd failure and a lock at the 5th; per address a lock at
# 30 failures, 15-minute window) would distort the numbers, so the benchmark stays below them instead of waiting
# them out: every existing account and every unknown email gets 2 wrong-password tries, and the portal is started
# with GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32 while each block of requests carries its own X-Forwarded-For address
# (198.18.0.0/15), so no address collects more than one block's failures. The benchmark checks that the portal really
# takes that address before timing anything. Any 429 or other unexpected answer is reported and exits with status 1.
#
# Builds the appliance (main jar and test-jar with TestPortal) and the bench module, then runs the benchmark in its
# own JVM. Progress goes to stderr, the result table to stdout. Each sign-in is one bcrypt check (cost 12, ~0.3 s on
# a 2-CPU machine), so the defaults take about 4 minutes after the build, ~45 s of it creating the 108 accounts.
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
  echo "bench/run-signin.sh: $classpath_file is missing; run without BENCH_SKIP_BUILD=1." >&2
  exit 1
fi

# Fixed, pre-touched heap so heap growth does not show up as latency; C2 on (plain java, not exec:exec).
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" \
  -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -Dlogback.configurationFile=logback-bench.xml \
  ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  io.gatehouse.bench.SignInTimingBench "$@"
