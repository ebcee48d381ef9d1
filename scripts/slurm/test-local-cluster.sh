#!/usr/bin/env bash
# Runs scripts/slurm/evaluate-array.sbatch on a throw-away single-node SLURM cluster (Debian's
# slurm-wlm: slurmctld and slurmd started here, as root, on private ports, with auth/none so that
# no munge daemon is needed) and checks that the merged result equals a single run byte for byte.
#
#   bash scripts/slurm/test-local-cluster.sh SEGEVAL PRED GT [SHARDS]
#
# Exit 0: equal; 1: different or failed; 77: cannot run here (no slurm-wlm, not root).
# Called by the CLI tests (SlurmArrayTests) when slurmctld is installed; CI installs slurm-wlm.
set -euo pipefail
segeval=$1 pred=$2 gt=$3 shards=${4:-3}
command -v slurmctld > /dev/null && command -v slurmd > /dev/null && command -v sbatch > /dev/null \
    || { echo "slurm-wlm is not installed (apt-get install slurm-wlm)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "a local slurmd must run as root"; exit 77; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/segeval-slurm-XXXXXX)
host=$(hostname -s 2>/dev/null || hostname)
# Private ports (another cluster on this machine keeps its own).
port=$((20000 + RANDOM % 20000))
cat > "$work/slurm.conf" <<CONF
ClusterName=segevaltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=segevaltest Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cleanup() {
    for daemon in slurmd slurmctld; do
        [ -f "$work/$daemon.pid" ] && kill "$(cat "$work/$daemon.pid")" 2> /dev/null || true
    done
    sleep 1
    rm -rf "$work"
}
trap cleanup EXIT
slurmctld -f "$work/slurm.conf"
slurmd -f "$work/slurm.conf"
for _ in $(seq 1 30); do
    sinfo -h -o %T 2> /dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %T | grep -q idle || { echo "the local cluster did not come up:"; tail -5 "$work/slurmctld.log" "$work/slurmd.log"; exit 1; }

cd "$work"
SEGEVAL=$segeval SEGEVAL_SBATCH_OPTIONS="--cpus-per-task=1 --mem=0 --partition=segevaltest" \
    bash "$here/evaluate-array.sbatch" submit "$pred" "$gt" "$work/eval" "$shards" -- --metrics dice,sm,wfm
# Wait for the merge job (or any failure).
for _ in $(seq 1 120); do
    [ -z "$(squeue -h 2> /dev/null)" ] && break
    sleep 1
done
"$segeval" --pred "$pred" --gt "$gt" --out "$work/single" --metrics dice,sm,wfm -q > /dev/null
if [ -f "$work/eval/summary.json" ] && diff -r "$work/single" "$work/eval" > /dev/null; then
    echo "SLURM job array of $shards shards + merge: equal to a single run ($(ls "$work/eval.parts" | wc -l) parts, $(ls "$work/eval" | wc -l) files)"
    exit 0
fi
echo "SLURM run differs from the single run or did not finish:"
ls "$work" "$work/eval" 2>&1 | head -20
tail -5 "$work"/segeval-*.out 2>/dev/null
exit 1
