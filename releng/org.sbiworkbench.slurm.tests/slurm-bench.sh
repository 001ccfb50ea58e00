#!/bin/bash
# Overhead of the Slurm executor against local threads on this machine: the same campaign both ways.
#   slurm-bench.sh SBIW WORK [RUNS] [SIMULATIONS] [CHUNK] [SIMULATOR]
# Starts a one-node Slurm cluster (slurm-cluster.sh; root), then RUNS times each:
#   local   sbiw simulate --simulator SIMULATOR (two_moons) -n N --chunk-size C --threads 2
#   slurm   the same with --executor slurm --slurm-chunk-size C --max-concurrent 2 (one task per chunk)
#   1-chunk both ways with -n C: the latency of one chunk from the command's start to its end
# and prints medians (min-max) of wall time, throughput and per-chunk latency. Used for docs/benchmarks/slurm.md.
set -euo pipefail
sbiw=$1 work=$2 runs=${3:-5} n=${4:-4000} per=${5:-250} sim=${6:-two_moons}
here=$(cd "$(dirname "$0")" && pwd -P)
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd -P)
. "$here/slurm-cluster.sh"
trap 'slurm_cluster_stop "$work/cluster"' EXIT
slurm_cluster_start "$work/cluster"
slurm=(--executor slurm --slurm-chunk-size "$per" --max-concurrent 2 --cpus-per-task 1 --memory 1G --executor-setting poll-seconds=0.5)

timed() { # timed NAME CMD...: runs CMD, appends "NAME seconds" to times.txt
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N); "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }; t1=$(date +%s.%N)
  echo "$name $(python3 -c "print($t1 - $t0)")" >> "$work/times.txt"
}
"$sbiw" simulate --simulator "$sim" -n 10 --seed 1 --out "$work/warmup" > /dev/null 2>&1  # page cache, JIT files
for r in $(seq 1 "$runs"); do
  echo "slurm bench: run $r of $runs"
  timed local "$sbiw" simulate --simulator "$sim" -n "$n" --seed "$r" --chunk-size "$per" --threads 2 --out "$work/local-$r"
  timed slurm "$sbiw" simulate --simulator "$sim" -n "$n" --seed "$r" --out "$work/slurm-$r" "${slurm[@]}"
  timed local1 "$sbiw" simulate --simulator "$sim" -n "$per" --seed "$r" --chunk-size "$per" --threads 2 --out "$work/local1-$r"
  timed slurm1 "$sbiw" simulate --simulator "$sim" -n "$per" --seed "$r" --out "$work/slurm1-$r" "${slurm[@]}"
done
python3 - "$work" "$runs" "$n" "$per" "$sim" <<'PY'
import glob, json, os, statistics, sys
from datetime import datetime
work, runs, n, per, sim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def ts(s):  # Java's Instant.toString(): 2026-11-25T23:44:21.043847272Z (fraction optional, up to 9 digits)
    s = s.rstrip('Z'); whole, _, frac = s.partition('.')
    return datetime.fromisoformat(whole + '+00:00').timestamp() + (float('0.' + frac) if frac else 0.0)
def stat(v): return f'{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})'
times = {}
for line in open(os.path.join(work, 'times.txt')):
    k, v = line.split(); times.setdefault(k, []).append(float(v))
def commits(d): return sorted(ts(json.load(open(p))['completed']) for p in glob.glob(os.path.join(d, 'chunk_*.json')))
# Slurm: submission of the array to each chunk's commit record; the first wave (2 tasks at once) has no queueing.
sub_all, sub_first, gaps_local, gaps_slurm = [], [], [], []
for r in range(1, runs + 1):
    d = os.path.join(work, f'slurm-{r}')
    ledger = json.load(open(os.path.join(d, 'slurm', 'jobs.json')))
    t0 = ts(ledger['submissions'][0]['submitted'])
    c = commits(d)
    sub_all += [t - t0 for t in c]; sub_first += [t - t0 for t in c[:2]]
    gaps_slurm += [b - a for a, b in zip(c, c[1:])]
    l = commits(os.path.join(work, f'local-{r}'))
    gaps_local += [b - a for a, b in zip(l, l[1:])]
chunks = (n + per - 1) // per
print(f'campaign: {sim}, {n} simulations, chunks of {per} ({chunks} chunks), {runs} runs each; medians (min-max)')
print(f'whole command, local (2 threads):        {stat(times["local"])} s  -> {stat([n / t for t in times["local"]])} simulations/s')
print(f'whole command, slurm (2 tasks at once):  {stat(times["slurm"])} s  -> {stat([n / t for t in times["slurm"]])} simulations/s')
print(f'one-chunk campaign ({per} sims), local:   {stat(times["local1"])} s')
print(f'one-chunk campaign ({per} sims), slurm:   {stat(times["slurm1"])} s')
print(f'slurm, submission -> commit, first wave: {stat(sub_first)} s')
print(f'slurm, submission -> commit, all chunks: {stat(sub_all)} s')
print(f'time between successive commits, local:  {stat(gaps_local)} s')
print(f'time between successive commits, slurm:  {stat(gaps_slurm)} s')
PY
