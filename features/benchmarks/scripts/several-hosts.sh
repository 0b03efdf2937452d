#!/usr/bin/env bash
# Several hosts on one target: the target appliance with N event loops, H host appliances at once, each with one
# I/O queue running `nvme perf` (4 KiB random reads, QD32, 10 s after a 3 s ramp; the hosts' JVMs start together,
# so their measurement windows overlap by all but their start-up spread, which is printed: the spread of their ends).
# Prints each host's IOPS, their sum and the target's CPU per I/O over the window all hosts measured in. Loopback only;
# built jars expected (mvn install).
# PLACEMENT pins whole JVMs as the suite pins threads: `colocated` puts the target and every host on vCPU 0, `split`
# the hosts on vCPU 0 and the target on vCPU 1; either first measures the batched ceiling at the same placement with
# as many requests outstanding as all hosts together (one connection, the suite's comparison for several queues) and
# prints the ratio. Unset: unpinned, no ceiling.
#
#   [PLACEMENT=colocated|split] features/benchmarks/scripts/several-hosts.sh HOSTS EVENT_LOOPS [IODEPTH]
set -euo pipefail
hosts=${1:?hosts}; loops=${2:?event loops}; depth=${3:-32}
placement=${PLACEMENT:-unpinned}
case "$placement" in
  colocated) host_cpus=(taskset -c 0); target_cpus=(taskset -c 0) ;;
  split) host_cpus=(taskset -c 0); target_cpus=(taskset -c 1) ;;
  unpinned) host_cpus=(); target_cpus=() ;;
  *) echo "PLACEMENT takes colocated, split or unpinned, not $placement" >&2; exit 2 ;;
esac
repo=$(cd "$(dirname "$0")/../../.." && pwd)
target_jar=${TARGET_JAR:-$repo/features/target/target/nvmeof-target.jar}
host_jar=$repo/features/host/target/host.jar
work=$(mktemp -d /tmp/several-hosts.XXXXXX)
trap 'kill "$target_pid" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
ceiling=
if [ "$placement" != unpinned ]; then
  ceiling=$(java -cp "$repo/features/benchmarks/target/benchmarks.jar" dev.nvmeof.benchmarks.suite.CeilingCommand \
    --depth $((depth * hosts)) --seconds 10 --ramp 2 --placement "$placement")
  echo "$ceiling"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${target_cpus[@]}" java -jar "$target_jar" --listen "127.0.0.1:$port" --event-loops "$loops" --ram-namespace 256M > target.out 2>&1 &
target_pid=$!
for _ in $(seq 100); do grep -q '^ready' target.out && break; sleep 0.1; done
grep -q '^ready' target.out || { cat target.out; exit 1; }

# Every 0.25 s, by one process that forks nothing (the figures must not pay for their own measurement): the time,
# the target's CPU ticks and each event loop thread's, "tid:ticks" (comm is cut to 15 characters: nvmeof-target-l).
# The target's CPU is then taken over the window all hosts were measuring in.
sample() {
  python3 - "$target_pid" > samples.txt <<'PY'
import os, sys, time
pid = sys.argv[1]
def ticks(stat):
    f = stat.rsplit(") ", 1)[1].split()
    return int(f[11]) + int(f[12])
while True:
    try:
        line = f"{time.time():.3f} {ticks(open(f'/proc/{pid}/stat').read())}"
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                if open(f"/proc/{pid}/task/{tid}/comm").read().startswith("nvmeof-target-l"):
                    line += f" {tid}:{ticks(open(f'/proc/{pid}/task/{tid}/stat').read())}"
            except OSError:
                pass  # a thread that ended meanwhile
    except OSError:
        break  # the target is gone
    print(line, flush=True)
    time.sleep(0.25)
PY
}
sample &
sampler_pid=$!
host_pids=()
for h in $(seq "$hosts"); do
  cp -r "$repo/features/host/target/host" "h$h"
  printf 'nvme connect -t tcp -a 127.0.0.1 -s %s -n testnqn -q nqn.2026-12.dev.nvmeof:host%s -i 1\nnvme perf /dev/nvme0n1 --rw randread --bs 4k --iodepth %s --runtime 10s --ramp_time 3s -o json\n' \
    "$port" "$h" "$depth" | NVMEOF_HOST_HOME="$work/h$h" "${host_cpus[@]}" java -jar "$host_jar" > "h$h.out" 2>&1 \
    && date +%s.%N > "h$h.end" &
  host_pids+=($!)
done
wait "${host_pids[@]}" || true
kill "$sampler_pid" 2>/dev/null || true
total=0
for h in $(seq "$hosts"); do
  iops=$(grep -o '"iops": *[0-9.]*' "h$h.out" | head -1 | grep -o '[0-9.]*$' || true)
  if [ -z "$iops" ] || [ ! -f "h$h.end" ]; then
    echo "host $h measured nothing; its output (KEEP=1 keeps $work):" >&2
    cat "h$h.out" >&2
    exit 1
  fi
  echo "host $h: $iops IOPS"
  total=$(python3 -c "print($total + $iops)")
done
# Each host measured the 10 s before its end (less the time to print and exit): the common window is from 9 s
# before the last end to 1 s before the first.
python3 - "$total" "$(getconf CLK_TCK)" "$placement" "$hosts" "$loops" "$depth" $(cat h*.end) <<'PY'
import sys
total, ticks = float(sys.argv[1]), int(sys.argv[2])
placement, hosts, loops, depth = sys.argv[3:7]
ends = [float(e) for e in sys.argv[7:]]
start, end = max(ends) - 9, min(ends) - 1
rows = []
for line in open("samples.txt"):
    f = line.split()
    if len(f) >= 2:
        rows.append((float(f[0]), int(f[1]), dict(x.split(":") for x in f[2:])))
inside = [r for r in rows if start <= r[0] <= end]
head = f"{placement}: {hosts} hosts, {loops} event loops, QD{depth} each: {total:.0f} IOPS in total"
if end - start < 2 or len(inside) < 2:
    print(f"{head}; hosts ended {max(ends) - min(ends):.2f} s apart: no common window for the target's CPU")
    sys.exit()
(t0, c0, l0), (t1, c1, l1) = inside[0], inside[-1]
span = t1 - t0
cpu = (c1 - c0) / ticks
print("event loops, % of a core:", " ".join(f"{(int(l1[t]) - int(l0.get(t, 0))) / ticks / span * 100:.0f}"
                                          for t in sorted(l1, key=int)))
print(f"{head}; target {cpu / span * 100:.0f} % of a core, {cpu / span / total * 1e6:.2f} us per I/O over the "
      f"{span:.1f} s all hosts measured; hosts ended {max(ends) - min(ends):.2f} s apart")
PY
if [ -n "$ceiling" ]; then
  python3 -c "c=float('$ceiling'.split(': ')[1].split()[0]); print(f'IOPS / ceiling: {$total / c:.2f}')"
fi
