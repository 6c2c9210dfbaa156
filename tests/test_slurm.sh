#!/usr/bin/env bash
# Shards on a real Slurm (docs/scaling.md): start a single-node Slurm on this
# machine (munged, slurmctld and slurmd, configured here for localhost in a
# private folder and stopped at the end), submit the documented 3-shard job
# array and the merge as a job that depends on it (--dependency=afterok), and
# compare the merged files with a single run's, byte for byte.
#   tests/test_slurm.sh AMPSWEEP PROJECT_DIR
# Exits 77 (skipped) with the reason where Slurm cannot run: not root, or the
# packages are missing (scripts/setup.sh installs slurm-wlm and munge).
set -uo pipefail
bin=$(realpath "$1")
proj=$(realpath "$2")
. "$proj/tests/checks.sh"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "Slurm's daemons need root to start here (id -u is $(id -u))"
for p in munged slurmctld slurmd sbatch squeue scontrol; do
    command -v "$p" >/dev/null || skip "$p not installed (apt-get install slurm-wlm munge)"
done

work=$(mktemp -d /tmp/ampsweep-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# munge: its own key, socket and files, so nothing of the machine's is used
mkdir -p "$work/munge"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/key" bs=1024 count=1 status=none
chmod 400 "$work/munge/key"
munged --force --foreground --key-file="$work/munge/key" --socket="$work/munge/socket" \
    --pid-file="$work/munge/pid" --log-file="$work/munge/log" --seed-file="$work/munge/seed" \
    >/dev/null 2>&1 &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
mkdir -p "$work/state" "$work/spool" "$work/log"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=ampsweep-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
for i in $(seq 50); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
[ -S "$work/munge/socket" ] || { cat "$work/munge/log" 2>/dev/null; skip "munged did not start"; }
slurmctld -D -i >/dev/null 2>&1 &
pids+=($!)
slurmd -D >/dev/null 2>&1 &
pids+=($!)
up=0
for i in $(seq 100); do
    if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then up=1; break; fi
    sleep 0.2
done
if [ "$up" -ne 1 ]; then
    tail -5 "$work/log/slurmctld.log" "$work/log/slurmd.log" 2>/dev/null
    bad "the single-node Slurm came up (sinfo: $(sinfo -h 2>&1 | head -1))"
    finish
fi
ok "a single-node Slurm is up ($(sinfo -h -o '%P %D %t %c'))"

# the sweep of docs/scaling.md, small enough for a test
cd "$work"
mkdir shared
cp -r "$proj/netlists" "$proj/models" shared/
args=(--jobs 1 --quiet --loads 8,32,300 --freqs 20:20000:5 --tran-freqs 1000
      netlists/headphone/starter_hp.cir netlists/power/starter_power.cir)
cat >shards.sbatch <<JOB
#!/bin/bash
#SBATCH --array=1-3
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/log/shard-%a.out
cd $work/shared
"$bin" sweep --shard "\$SLURM_ARRAY_TASK_ID/3" --out "shards/\$SLURM_ARRAY_TASK_ID" --models models ${args[*]}
JOB
array=$(sbatch --parsable shards.sbatch) || { bad "sbatch took the array"; finish; }
array=${array%%;*}
cat >merge.sbatch <<JOB
#!/bin/bash
#SBATCH --output=$work/log/merge.out
cd $work/shared
"$bin" merge merged shards/1 shards/2 shards/3
JOB
merge=$(sbatch --parsable --dependency=afterok:"$array" merge.sbatch) || { bad "sbatch took the merge"; finish; }
merge=${merge%%;*}
ok "submitted the array ($array) and the merge ($merge, afterok:$array)"

# wait for the merge to leave the queue (at most 10 minutes)
for i in $(seq 600); do
    squeue -h -j "$merge" 2>/dev/null | grep -q . || break
    sleep 1
done
state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
if [ "$state" = COMPLETED ]; then ok "the merge job completed"; else
    bad "the merge job completed (state ${state:-unknown})"
    cat "$work"/log/*.out
fi

(cd shared && "$bin" sweep --out single --models models "${args[@]}" >/dev/null 2>&1)
if same_results shared/single shared/merged; then
    ok "the merged Slurm shards and a single run wrote byte-identical files"
else
    bad "the merged Slurm shards and a single run wrote byte-identical files"
fi
finish
