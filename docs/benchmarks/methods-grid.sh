#!/bin/sh
# The C2ST grid of docs/benchmarks/methods.md: NLE, NRE, rejection ABC and SMC-ABC on sbibm's two_moons,
# gaussian_linear and slcp, observations 1-10. One process per line, in order; on a quiet 2-core machine the
# 10^3/10^4 rows take about 3 hours, the 10^5 rows about 2 more (2.6-17.6 minutes per line, measured 2026-11-26;
# a 10-D C2ST alone is about a minute).
# Usage: docs/benchmarks/methods-grid.sh OUT_DIR   (from the top of a checkout; ./sbiw builds the product)
set -eu
out=${1:?usage: $0 OUT_DIR}
mkdir -p "$out"
run() {
  name=$1; shift
  echo "$(date -u +%FT%TZ) $name: ./sbiw bench-npe $*" >> "$out/log"
  ./sbiw bench-npe "$@" > "$out/$name.md" 2> "$out/$name.err"
}
for task in two_moons gaussian_linear slcp; do
  for method in nle nre abc smcabc; do
    run "$method-$task" --method $method --tasks $task --budgets 1000,10000 --observations 10
  done
done
for task in two_moons gaussian_linear slcp; do
  for method in abc smcabc nre nle; do
    run "$method-$task-1e5" --method $method --tasks $task --budgets 100000 --observations 10
  done
done
