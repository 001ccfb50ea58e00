# Shared by the SBI Workbench launch scripts (sourced, not run).
# Finds Java 17+, sets the JVM options, and starts the Equinox launcher of this installation.
# Environment: JAVA_HOME (which Java), SBIW_JAVA_OPTS (extra JVM options, e.g. -Xmx16g).

sbiw_home=$(cd "$(dirname "$0")" && pwd -P)

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  sbiw_java="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  sbiw_java=$(command -v java)
else
  echo "SBI Workbench needs Java 17 or newer: install one (e.g. apt-get install openjdk-17-jre) or set JAVA_HOME." >&2
  exit 2
fi
sbiw_java_major=$("$sbiw_java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
if [ -z "$sbiw_java_major" ] || [ "$sbiw_java_major" -lt 17 ]; then
  echo "SBI Workbench needs Java 17 or newer; $sbiw_java is version ${sbiw_java_major:-unknown}. Set JAVA_HOME to a Java 17+." >&2
  exit 2
fi

sbiw_launcher=$(ls "$sbiw_home"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)
if [ -z "$sbiw_launcher" ]; then
  echo "This SBI Workbench installation at $sbiw_home is incomplete: plugins/org.eclipse.equinox.launcher_*.jar is missing. Unpack the product archive again." >&2
  exit 2
fi

# ND4J's OpenMP threads spin on busy-wait by default and slow a shared machine 10-40x;
# the engine parallelises over batches itself. Override by exporting these before launch.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

sbiw_user_dir="${XDG_DATA_HOME:-$HOME/.local/share}/sbiworkbench"

sbiw_run() {
  # shellcheck disable=SC2086 # SBIW_JAVA_OPTS is a list of options
  exec "$sbiw_java" -Xmx4g ${SBIW_JAVA_OPTS:-} \
    -jar "$sbiw_launcher" -install "$sbiw_home" -configuration "$sbiw_home/configuration" "$@"
}
