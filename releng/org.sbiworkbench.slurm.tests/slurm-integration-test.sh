#!/bin/bash
# Integration test of the Slurm executor against a real one-node Slurm cluster started here
# (configuration, state and logs under WORK; stopped at the end whatever the outcome).
#   slurm-integration-test.sh SBIW WORK [SKIP]
# SBIW is the built product's launcher; SKIP=true skips the test, loudly (-Dslurm.skip=true).
#  (a) a campaign of 4000 two_moons simulations as a job array (250 per task, at most 2 at once);
#      one running array task is cancelled with scancel; the campaign must complete (that task
#      resubmitted) and equal a local run with the same seed.
#  (b) the submitting sbiw is killed (SIGKILL) mid-campaign; 'sbiw resume' must complete it
#      without simulating again the chunks finished before the kill, and without submitting again
#      the tasks that were still queued or running.
set -euo pipefail
sbiw=$1 work=$2 skip=${3:-false}
here=$(cd "$(dirname "$0")" && pwd -P)

if [ "$skip" = true ]; then
  echo "################################################################################"
  echo "# slurm test: SKIPPED because -Dslurm.skip=true was given."
  echo "# The Slurm executor was NOT tested against a real cluster in this build."
  echo "################################################################################"
  exit 0
fi
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }
[ -x "$sbiw" ] || fail "no product launcher at $sbiw (build releng/org.sbiworkbench.product first)"
command -v python3 >/dev/null || fail "python3 is needed to compare the campaigns (apt-get install -y python3)"

rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd -P)
. "$here/slurm-cluster.sh"
submitter=
cleanup() {
  local rc=$?
  [ -n "$submitter" ] && kill -9 "$submitter" 2>/dev/null || true
  if [ -f "$work/cluster/slurm.conf" ]; then
    SLURM_CONF=$work/cluster/slurm.conf scancel --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  slurm_cluster_stop "$work/cluster"
  [ $rc -eq 0 ] || echo "slurm test: failed; logs under $work" >&2
}
trap cleanup EXIT
slurm_cluster_start "$work/cluster" || fail "could not start a Slurm cluster (see above)"

n=4000 seed=11 per=250
chunks=$(( n / per ))
slurm_opts=(--executor slurm --slurm-chunk-size $per --max-concurrent 2 --time-limit 00:10:00 --memory 1G
            --cpus-per-task 1 --setup 'echo "set-up line ran on $(hostname)"')

echo "slurm test: local reference run ($n simulations, seed $seed)"
"$sbiw" simulate --simulator two_moons -n $n --seed $seed --chunk-size $per --threads 2 --out "$work/local" \
  > "$work/local.log" 2>&1 || { cat "$work/local.log" >&2; fail "the local run failed"; }

# Waits until chunk files of a campaign appear; prints the number of commit records.
records() { ls "$1"/chunk_*.json 2>/dev/null | wc -l; }
job_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["submissions"][0]["jobId"])' "$1/slurm/jobs.json"; }
attempts() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attempts"].get(sys.argv[2], 0))' "$1/slurm/jobs.json" "$2"; }

# ---------------------------------------------------------------- (a) scancel one running task
echo "slurm test: (a) $n simulations as a job array of $chunks tasks; cancelling task 3 while it runs"
a=$work/a
start=$(date +%s.%N)
"$sbiw" simulate --simulator two_moons -n $n --seed $seed --out "$a" "${slurm_opts[@]}" > "$work/a.log" 2>&1 &
submitter=$!
for _ in $(seq 1 600); do [ -f "$a/slurm/jobs.json" ] && break; kill -0 $submitter 2>/dev/null || break; sleep 0.1; done
[ -f "$a/slurm/jobs.json" ] || { cat "$work/a.log" >&2; fail "(a) no job array was submitted"; }
job=$(job_of "$a")
cancelled=
for _ in $(seq 1 1200); do
  if squeue -h -r -j "$job" -o '%i %T' | grep -qx "${job}_3 RUNNING"; then
    [ -f "$a/chunk_00003.json" ] && fail "(a) task 3 stored its chunk before it could be cancelled; cannot test resubmission"
    scancel "${job}_3"; cancelled=yes; break
  fi
  sleep 0.05
done
[ -n "$cancelled" ] || fail "(a) array task ${job}_3 was never seen running"
echo "slurm test: (a) scancel ${job}_3 while it ran"
wait $submitter || { cat "$work/a.log" >&2; fail "(a) 'sbiw simulate --executor slurm' exited with $?"; }
submitter=
end=$(date +%s.%N)
grep -q "complete, $chunks of $chunks chunks" "$work/a.log" || { cat "$work/a.log" >&2; fail "(a) the campaign did not complete"; }
grep -q "no failures" "$work/a.log" || { cat "$work/a.log" >&2; fail "(a) the campaign recorded failures"; }
[ "$(attempts "$a" 3)" = 2 ] || { cat "$a/slurm/jobs.json" >&2; fail "(a) task 3 was not submitted exactly twice"; }
grep -q "_3 ended without chunks \[3\] (CANCELLED" "$a/slurm/submitter.log" || { cat "$a/slurm/submitter.log" >&2; fail "(a) the submitter did not report the cancelled task"; }
grep -q "set-up line ran on" "$a/slurm/logs/${job}_0.out" || { cat "$a/slurm/logs/${job}_0.out" >&2; fail "(a) the set-up line did not run in the batch script"; }
python3 "$here/compare-campaigns.py" "$work/local" "$a" || fail "(a) the Slurm campaign differs from the local run with the same seed"
echo "slurm test: (a) passed in $(python3 -c "print(round($end - $start, 1))") s: task 3 resubmitted, campaign equal to the local run"

# ---------------------------------------------------------------- (b) kill the submitter, resume
echo "slurm test: (b) killing the submitting sbiw (SIGKILL) mid-campaign, then 'sbiw resume'"
b=$work/b
"$sbiw" simulate --simulator two_moons -n $n --seed $seed --out "$b" "${slurm_opts[@]}" > "$work/b.log" 2>&1 &
submitter=$!
for _ in $(seq 1 2400); do
  [ "$(records "$b")" -ge 4 ] && break
  kill -0 $submitter 2>/dev/null || break
  sleep 0.05
done
at_kill=$(records "$b")
kill -9 $submitter; wait $submitter 2>/dev/null || true
submitter=
[ "$at_kill" -ge 4 ] && [ "$at_kill" -lt $chunks ] || fail "(b) expected the kill between 4 and $chunks chunks, got $at_kill"
# What was there at the kill: commit records with inode, modification time and content.
stored_at_kill=$(cd "$b" && ls chunk_*.json)
for f in $stored_at_kill; do echo "$f $(stat -c '%i %y' "$b/$f") $(sha256sum < "$b/$f" | cut -c1-16)"; done > "$work/b-at-kill.txt"
in_flight=$(squeue -h -r -o '%i %T' | wc -l)
echo "slurm test: (b) killed with $at_kill of $chunks chunks stored and $in_flight array tasks queued or running"
"$sbiw" resume "$b" > "$work/b-resume.log" 2>&1 || { cat "$work/b-resume.log" >&2; fail "(b) 'sbiw resume' exited with $?"; }
grep -q "complete, $chunks of $chunks chunks" "$work/b-resume.log" || { cat "$work/b-resume.log" >&2; fail "(b) the resumed campaign did not complete"; }
for f in $stored_at_kill; do echo "$f $(stat -c '%i %y' "$b/$f") $(sha256sum < "$b/$f" | cut -c1-16)"; done > "$work/b-after.txt"
diff "$work/b-at-kill.txt" "$work/b-after.txt" || fail "(b) chunks stored before the kill were written again"
for k in $(seq 0 $(( chunks - 1 ))); do
  [ "$(attempts "$b" $k)" = 1 ] || { cat "$b/slurm/jobs.json" >&2; fail "(b) task $k was submitted $(attempts "$b" $k) times; the resume should follow the tasks in flight"; }
done
python3 "$here/compare-campaigns.py" "$work/local" "$b" || fail "(b) the resumed campaign differs from the local run with the same seed"
echo "slurm test: (b) passed: resumed to completion; the $at_kill chunks stored before the kill are untouched; every task submitted once"
echo "slurm test: passed"
