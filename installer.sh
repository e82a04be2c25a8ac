#!/usr/bin/env bash
# Gatehouse installer: ./installer.sh COMMAND [options]   (./installer.sh --help lists the commands;
# docs/operations.md describes each). Works in a source checkout (installer/target/gatehouse-installer.jar) and in an
# unpacked bundle (installer/gatehouse-installer.jar with the bundled Java runtime in runtime/java).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export GATEHOUSE_HOME="$HERE"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_java() {
  if [ -x "$HERE/runtime/java/bin/java" ]; then echo "$HERE/runtime/java/bin/java"; return 0; fi
  local candidate
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/temurin-25*/bin/java; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

JAVA="$(find_java)" || {
  echo "error: no Java 25 found: use a bundle (it brings runtime/java), or install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME" >&2
  exit 1
}

# In a source checkout the jar is built on first use (and again when its sources changed), so a fresh clone
# needs nothing but ./installer.sh.
BUILT="$HERE/installer/target/gatehouse-installer.jar"
if [ -x "$HERE/mvnw" ] && [ ! -f "$HERE/installer/gatehouse-installer.jar" ]; then
  if [ ! -f "$BUILT" ] || [ -n "$(find "$HERE/installer/src" "$HERE/license/src" "$HERE/installer/pom.xml" -newer "$BUILT" -print -quit 2>/dev/null)" ]; then
    echo "Building the installer (./mvnw -pl installer -am package) ..." >&2
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")" "$HERE/mvnw" -B -q -f "$HERE/pom.xml" -DskipTests \
      -pl installer -am package >&2 || { echo "error: could not build the installer (see the Maven output above)" >&2; exit 1; }
  fi
fi

for JAR in "$HERE/installer/gatehouse-installer.jar" "$BUILT"; do
  [ -f "$JAR" ] && exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR" "$@"
done
echo "error: gatehouse-installer.jar not found: in a source checkout build it with ./mvnw -B -DskipTests -pl installer -am package" >&2
exit 1
