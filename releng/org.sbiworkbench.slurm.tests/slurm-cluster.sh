# A one-node Slurm cluster for tests, with its configuration, state and logs in one folder
# (sourced, not run). Debian's slurm-wlm and munge; needs root (slurmd runs jobs as their users).
#   slurm_cluster_start WORK   writes WORK/slurm.conf, starts munged, slurmctld and slurmd,
#                              waits until the node is idle, exports SLURM_CONF
#   slurm_cluster_stop WORK    scontrol shutdown, then the daemons' pids; safe to call twice
# Facts in ../shared/SCALE-NOTES.md: no cgroups (proctrack/linuxproc, task/none), no accounting.

slurm_cluster_start() {
  local work=$1
  for c in slurmctld slurmd munged scontrol sbatch squeue scancel; do
    command -v "$c" >/dev/null 2>&1 || {
      echo "slurm test: '$c' is missing. Install Slurm and munge: apt-get install -y slurm-wlm munge (as root; .ci/run does it)," \
        "or skip this test explicitly with -Dslurm.skip=true" >&2
      return 1; }
  done
  [ "$(id -u)" -eq 0 ] || {
    echo "slurm test: starting a Slurm cluster needs root (slurmd runs jobs as their users); run as root or skip with -Dslurm.skip=true" >&2
    return 1; }
  mkdir -p "$work"/{state,log,run}
  # slurmd's spool holds each step's Unix socket, whose path may not exceed 108 bytes: under a deep
  # checkout (CI's work folders) it would, and every job would fail to launch. So it lives in /tmp.
  local spool
  spool=$(mktemp -d /tmp/sbiw-slurmd.XXXXXX) || { echo "slurm test: cannot make a spool folder in /tmp" >&2; return 1; }
  echo "$spool" > "$work/run/spool-dir"
  # munge: its folders must belong to the munge user; the package made /etc/munge/munge.key.
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -f /etc/munge/munge.key ] || { echo "slurm test: /etc/munge/munge.key is missing (reinstall munge)" >&2; return 1; }
    runuser -u munge -- /usr/sbin/munged || { echo "slurm test: munged did not start (see /var/log/munge/munged.log)" >&2; return 1; }
    touch "$work/run/munged.started-by-test"
  fi
  munge -n | unmunge >/dev/null || { echo "slurm test: munge does not work: 'munge -n | unmunge' failed" >&2; return 1; }

  local cpus mem
  cpus=$(nproc)
  # RealMemory must not exceed what slurmd finds, or the node drains: take 90% of it.
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p'); mem=$(( ${mem:-1000} * 9 / 10 ))
  cat > "$work/slurm.conf" <<CONF
ClusterName=sbiwtest
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17817 + RANDOM % 1000 ))
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
MaxArraySize=10001
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$work/slurm.conf
  slurmctld -f "$SLURM_CONF" || { echo "slurm test: slurmctld did not start; $work/log/slurmctld.log:" >&2; tail -n 20 "$work/log/slurmctld.log" >&2; return 1; }
  slurmd -f "$SLURM_CONF" -N localhost || { echo "slurm test: slurmd did not start; $work/log/slurmd.log:" >&2; tail -n 20 "$work/log/slurmd.log" >&2; return 1; }
  local i
  for i in $(seq 1 100); do
    if sinfo -h -n localhost -o %T 2>/dev/null | grep -qx idle; then
      echo "slurm test: one-node cluster up ($cpus CPUs, $mem MB), configuration $SLURM_CONF"
      return 0
    fi
    sleep 0.2
  done
  echo "slurm test: the node did not become idle in 20 s: $(sinfo -h -o '%T %E' 2>&1)" >&2
  tail -n 20 "$work/log/slurmctld.log" "$work/log/slurmd.log" >&2
  return 1
}

slurm_cluster_stop() {
  local work=$1 f pid
  [ -f "$work/slurm.conf" ] || return 0
  SLURM_CONF=$work/slurm.conf scontrol shutdown >/dev/null 2>&1 || true
  for f in "$work/run/slurmd.pid" "$work/run/slurmctld.pid"; do
    pid=$(cat "$f" 2>/dev/null || true)
    [ -n "$pid" ] || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$work/run/munged.started-by-test" ]; then
    pid=$(cat /run/munge/munged.pid 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    rm -f "$work/run/munged.started-by-test"
  fi
  f=$(cat "$work/run/spool-dir" 2>/dev/null || true)
  case "$f" in /tmp/sbiw-slurmd.*) rm -rf "$f" ;; esac
  rm -f "$work/run/spool-dir"
  echo "slurm test: cluster stopped"
}
