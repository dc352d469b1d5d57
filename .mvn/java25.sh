# Sourced by ./mvnw and ./tandem: Tandem needs Java 25. When JAVA_HOME is unset or points to an
# older JDK, use a JDK 25 or newer from /usr/lib/jvm if one is installed.
tandem_java_ok() {
  "$1/bin/java" -version 2>&1 | head -n 1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'
}
if [ -z "${JAVA_HOME-}" ] || ! tandem_java_ok "$JAVA_HOME"; then
  for tandem_jdk in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
    if [ -x "$tandem_jdk/bin/javac" ] && tandem_java_ok "$tandem_jdk"; then
      JAVA_HOME=$tandem_jdk
      export JAVA_HOME
      break
    fi
  done
fi
