#!/usr/bin/env bash
# A one-node SLURM cluster on localhost from Debian's slurm-wlm and munge (CI and trying the job array locally).
#
# Usage (as root, on Debian/Ubuntu; no systemd needed — the daemons are started directly):
#   bash scripts/slurm/local-cluster.sh          install slurm-wlm + munge if missing, start munged, slurmctld
#                                                and slurmd, wait until `sinfo` shows the node idle (idempotent)
#   bash scripts/slurm/local-cluster.sh stop     stop the three daemons
#   bash scripts/slurm/local-cluster.sh status   print the daemons' pids and `sinfo`
# Then: sbatch --array=0-1 --export=ALL,UNLEARN_PROFILE=smoke scripts/slurm/sweep.sbatch
#
# It writes /etc/slurm/slurm.conf (the path every slurm command reads by default; a slurm.conf that this script
# did not write is left alone and the script stops). Node: NodeName=localhost with this machine's CPU count and
# memory, one partition `debug`, SlurmUser=root, proctrack/linuxproc, task/none, select/cons_tres (CR_CPU);
# state, spool and logs under $SLURM_LOCAL_DIR (default /var/lib/unlearn-slurm).
set -euo pipefail

DIR="${SLURM_LOCAL_DIR:-/var/lib/unlearn-slurm}"
CONF=/etc/slurm/slurm.conf
MARK="# written by overparam-unlearning scripts/slurm/local-cluster.sh"
PARTITION=debug
WAIT_S="${SLURM_LOCAL_WAIT_S:-60}"

say() { printf '[local-cluster] %s\n' "$*"; }
die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

# pid of a running daemon by its exact process name (never a pattern). Zombies do not count: a killed daemon
# can stay a zombie for a while in containers whose pid 1 does not reap promptly.
# ps exits 1 when no such process runs: that is an empty answer, not a failure (set -e, pipefail).
pid_of() { { ps -C "$1" -o pid=,stat= 2>/dev/null || true; } | awk '$2 !~ /^Z/ { print $1; exit }'; }
alive() { ps -p "$1" -o stat= 2>/dev/null | grep -qv '^Z'; }

stop_daemon() {
  local name="$1" pid
  pid=$(pid_of "$name")
  [ -z "$pid" ] && return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || { say "stopped $name ($pid)"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  say "killed $name ($pid)"
}

case "${1:-start}" in
  stop)
    stop_daemon slurmd; stop_daemon slurmctld; stop_daemon munged
    exit 0 ;;
  status)
    for d in munged slurmctld slurmd; do printf '%-10s %s\n' "$d" "$(pid_of "$d" || true)"; done
    sinfo 2>&1 || true
    exit 0 ;;
  start) ;;
  *) die "unknown argument '$1' (expected start, stop or status)" ;;
esac

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages, writes /etc/slurm and starts the daemons as root)"
t0=$(date +%s.%N)
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# 1. Packages (slurmctld, slurmd, slurm-client and the plugins come with slurm-wlm)
missing=""
for p in slurm-wlm munge; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  command -v apt-get >/dev/null || die "missing packages:$missing and no apt-get; install SLURM and munge by hand"
  say "installing:$missing"
  # The packages' postinst would start the daemons through invoke-rc.d, which fails before slurm.conf
  # exists; a policy-rc.d (the usual one in containers) tells it not to. Ours is removed afterwards.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1
    trap '[ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  ti=$(date +%s.%N)
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
  # Package lists are usually fresh (setup.sh updated them); update only when the install cannot find them.
  apt_install 2>/dev/null || { say "apt-get update"; apt-get update -qq; apt_install; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d && own_policy=0
  say "apt-get install took $(secs "$ti") s"
fi
for b in munged slurmctld slurmd sinfo sbatch; do command -v "$b" >/dev/null || die "'$b' not found after installing slurm-wlm and munge"; done

# 2. munge: a key (the package's postinst makes one; make sure), and munged running as user munge
ts=$(date +%s.%N)
install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
if [ -z "$(pid_of munged)" ]; then
  rm -f /run/munge/munge.socket.2.lock
  runuser -u munge -- munged
fi
# (munge itself retries a refused connection for seconds, hence the timeouts)
ok=0
for _ in $(seq 20); do timeout 3 munge -n 2>/dev/null | timeout 3 unmunge >/dev/null 2>&1 && { ok=1; break; }; sleep 0.2; done
[ "$ok" = 1 ] || die "munged does not answer (pid '$(pid_of munged)'; see /var/log/munge/munged.log)"

# 3. slurm.conf for this machine
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.95 }' /proc/meminfo)
install -d -m 0755 /etc/slurm "$DIR" "$DIR/state" "$DIR/spool" "$DIR/log"
new_conf=$(cat <<CONF
$MARK
ClusterName=unlearn-local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=300
InactiveLimit=0
KillWait=10
# sbatch --wait polls after 2 s, then waits 4x longer each time (up to 32 s) while the wait is under
# MinJobAge/2: at 4 it polls every 2 s. Finished jobs stay listed (scontrol show job) for 4 s or more.
MinJobAge=4
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=$PARTITION Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
)
if [ -e "$CONF" ] && ! grep -qxF "$MARK" "$CONF"; then
  die "$CONF exists and was not written by this script; not touching it (stop here, or move it away)"
fi
changed=0
if [ ! -e "$CONF" ] || [ "$(cat "$CONF")" != "$new_conf" ]; then
  printf '%s\n' "$new_conf" > "$CONF"; changed=1
  say "wrote $CONF (localhost: $cpus CPUs, $mem_mb MB)"
fi
# A config change needs the daemons restarted to take effect.
if [ "$changed" = 1 ]; then stop_daemon slurmd; stop_daemon slurmctld; fi

# 4. slurmctld and slurmd (both daemonize; -N names the node, whatever the hostname is)
[ -n "$(pid_of slurmctld)" ] || slurmctld
[ -n "$(pid_of slurmd)" ] || slurmd -N localhost

# 5. wait for the node to be idle (a node left down by an earlier run is resumed)
deadline=$(( $(date +%s) + WAIT_S ))
state=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  state=$(sinfo -h -n localhost -o '%T' 2>/dev/null | head -n1 || true)
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    down*|drain*|fail*) scontrol update NodeName=localhost State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle|mixed|allocated|completing) ;;
  *) tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 2>/dev/null || true
     die "node localhost is '${state:-not reported}' after ${WAIT_S} s (logs: $DIR/log/)" ;;
esac
say "cluster up: node localhost $state, partition $PARTITION ($cpus CPUs), daemons started in $(secs "$ts") s, total $(secs "$t0") s"
sinfo
