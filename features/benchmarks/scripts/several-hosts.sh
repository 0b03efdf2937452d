#!/usr/bin/env bash
# Several hosts on one target: the target appliance with N event loops, H host appliances at once, each with one
# I/O queue running `nvme perf` (4 KiB random reads, QD32, 10 s after a 3 s ramp; the hosts' JVMs start together,
# so their measurement windows overlap by all but their start-up spread, which is printed: the spread of their ends).
# Prints each host's IOPS, their sum and the target's CPU per I/O over the middle 8 s of the windows. Loopback only;
# built jars expected (mvn install).
#
#   features/benchmarks/scripts/several-hosts.sh HOSTS EVENT_LOOPS [IODEPTH]
set -euo pipefail
hosts=${1:?hosts}; loops=${2:?event loops}; depth=${3:-32}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
target_jar=${TARGET_JAR:-$repo/features/target/target/nvmeof-target.jar}
host_jar=$repo/features/host/target/host.jar
work=$(mktemp -d /tmp/several-hosts.XXXXXX)
trap 'kill "$target_pid" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$target_jar" --listen "127.0.0.1:$port" --event-loops "$loops" --ram-namespace 256M > target.out 2>&1 &
target_pid=$!
for _ in $(seq 100); do grep -q '^ready' target.out && break; sleep 0.1; done
grep -q '^ready' target.out || { cat target.out; exit 1; }

cpu() { awk '{print $14 + $15}' "/proc/$target_pid/stat"; }
# CPU ticks of each event loop thread of the target, "tid:ticks" (comm is cut to 15 characters: nvmeof-target-l)
loops_cpu() {
  for t in /proc/"$target_pid"/task/*; do
    grep -q '^nvmeof-target-l' "$t/comm" 2>/dev/null && awk -v t="${t##*/}" '{printf "%s:%d ", t, $14 + $15}' "$t/stat"
  done
}
for h in $(seq "$hosts"); do
  cp -r "$repo/features/host/target/host" "h$h"
  printf 'nvme connect -t tcp -a 127.0.0.1 -s %s -n testnqn -q nqn.2026-12.dev.nvmeof:host%s -i 1\nnvme perf /dev/nvme0n1 --rw randread --bs 4k --iodepth %s --runtime 10s --ramp_time 3s -o json\n' \
    "$port" "$h" "$depth" | NVMEOF_HOST_HOME="$work/h$h" java -jar "$host_jar" > "h$h.out" 2>&1 \
    && date +%s.%N > "h$h.end" &
done
sleep 6; before=$(cpu); loops_before=$(loops_cpu); sleep 8; after=$(cpu); loops_after=$(loops_cpu)
wait $(jobs -p | grep -v "^$target_pid$") 2>/dev/null || true
total=0
ends=$(cat h*.end | sort -n)
spread=$(python3 -c "e=[float(x) for x in '''$ends'''.split()]; print(f'{max(e)-min(e):.2f}')")
for h in $(seq "$hosts"); do
  iops=$(grep -o '"iops": *[0-9.]*' "h$h.out" | head -1 | grep -o '[0-9.]*$')
  echo "host $h: ${iops:-none} IOPS"
  total=$(python3 -c "print($total + ${iops:-0})")
done
ticks=$(getconf CLK_TCK)
python3 -c "
b = dict(x.split(':') for x in '$loops_before'.split())
a = dict(x.split(':') for x in '$loops_after'.split())
print('event loops, % of a core:', ' '.join(f'{(int(a[t]) - int(b.get(t, 0))) / $ticks / 8 * 100:.0f}' for t in sorted(a, key=int)))"
python3 -c "t=$total; c=($after-$before)/$ticks; print(f'{$hosts} hosts, {$loops} event loops, QD$depth each: {t:.0f} IOPS in total; target {c/8*100:.0f} % of a core, {c/8/t*1e6:.2f} us per I/O; hosts ended within $spread s')"
