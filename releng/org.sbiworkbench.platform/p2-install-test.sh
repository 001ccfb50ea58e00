#!/bin/bash
# Installs SBI Workbench into a plain Eclipse platform with the p2 director, as a lab adds it to its own
# Eclipse, then starts that Eclipse headless and checks that our services are there.
#   p2-install-test.sh PLATFORM REPOSITORY WORK
set -euo pipefail
platform=$1 repository=$2 work=$3
[ -d "$platform/plugins" ] || { echo "p2 install test: no materialized platform at $platform" >&2; exit 1; }
[ -f "$repository/content.jar" ] || [ -f "$repository/content.xml" ] || {
  echo "p2 install test: no update site at $repository (build releng/org.sbiworkbench.repository first)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cp -a "$platform" "$work/eclipse"
eclipse=$work/eclipse
launcher=$(ls "$eclipse"/plugins/org.eclipse.equinox.launcher_*.jar)
run() { java -jar "$launcher" -install "$eclipse" -configuration "$eclipse/configuration" -nosplash -consoleLog "$@"; }
profile=$(basename "$(ls -d "$eclipse"/p2/org.eclipse.equinox.p2.engine/profileRegistry/*.profile | head -n 1)" .profile)

if ls "$eclipse"/plugins | grep -q '^org\.sbiworkbench'; then
  echo "p2 install test: the plain platform already contains SBI Workbench bundles" >&2; exit 1
fi
features=org.sbiworkbench.core.feature.feature.group,org.sbiworkbench.simulators.feature.feature.group,org.sbiworkbench.inference.feature.feature.group
echo "p2 install test: installing $features into profile $profile"
run -application org.eclipse.equinox.p2.director -repository "file:$repository" -installIU "$features" \
  -destination "$eclipse" -profile "$profile" > "$work/director.log" 2>&1 || {
  echo "p2 install test: the p2 director failed:" >&2; tail -n 40 "$work/director.log" >&2; exit 1; }
grep -q "Operation completed" "$work/director.log" || { echo "p2 install test: director did not complete:" >&2; cat "$work/director.log" >&2; exit 1; }

echo "p2 install test: starting the installed headless application"
run -application org.sbiworkbench.app.headless simulators > "$work/simulators.log" 2>&1 || {
  echo "p2 install test: 'sbiw simulators' failed in the installed Eclipse:" >&2; tail -n 40 "$work/simulators.log" >&2; exit 1; }
for id in two_moons gaussian_linear bump_hunt; do
  grep -q "^$id " "$work/simulators.log" || { echo "p2 install test: simulator $id not found:" >&2; cat "$work/simulators.log" >&2; exit 1; }
done
echo "p2 install test: passed ($(grep -c '' "$work/simulators.log") simulators listed)"
