# Sourced by ./gatehouse and the bench scripts: selects a JDK 25+ and exports JAVA_HOME, or stops with how to fix it.
# JAVA_HOME wins when it is 25 or newer; otherwise the usual install locations are searched.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    export JAVA_HOME
    return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25* /opt/java/openjdk; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "Gatehouse needs JDK 25. Install one (for example Temurin 25) and set JAVA_HOME to it:" >&2
  echo "  export JAVA_HOME=/path/to/jdk-25" >&2
  exit 1
}
