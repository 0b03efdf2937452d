#!/usr/bin/env bash
# Per-thread CPU, system calls and context switches per I/O of one `nvme perf` run in one JVM (our target and host,
# one I/O queue: PerfThreadsByHand), pinned: `colocated` puts every thread on vCPU 0; `split` moves the target's
# event loop to vCPU 1 as soon as it exists. Loopback only; built classes expected (mvn install, then
# mvn -pl bundles/dev.nvmeof.shell test-compile). NAMESPACE is the target's RAM namespace (8m by default).
#
#   NAMESPACE=1g features/benchmarks/scripts/perf-threads.sh colocated|split tcp|tcp_offload [IODEPTH BS RW SIZE]
#   e.g. NAMESPACE=1g features/benchmarks/scripts/perf-threads.sh split tcp 32 128k read 1g
set -euo pipefail
placement=${1:?colocated or split}; shift
repo=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$repo"
cp_file=$(mktemp /tmp/perf-threads-cp.XXXXXX)
out=$(mktemp /tmp/perf-threads-out.XXXXXX)
trap 'rm -f "$cp_file" "$out"' EXIT
mvn -B -o -q -pl bundles/dev.nvmeof.shell dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" > /dev/null
classes=bundles/dev.nvmeof.shell/target/test-classes:bundles/dev.nvmeof.shell/target/classes:$(cat "$cp_file")
bytes=$(numfmt --from=iec "$(echo "${NAMESPACE:-8m}" | tr a-z A-Z)")
taskset -c 0 java -DshellFixture.bytes="$bytes" -cp "$classes" dev.nvmeof.shell.internal.PerfThreadsByHand "$@" \
    > "$out" 2>/dev/null &
pid=$!
if [ "$placement" = split ]; then
  moved=
  for _ in $(seq 200); do
    task=$(grep -l '^nvmeof-target-l' /proc/"$pid"/task/*/comm 2>/dev/null | head -1 || true)
    if [ -n "$task" ]; then
      tid=$(basename "$(dirname "$task")")
      taskset -p -c 1 "$tid" > /dev/null && moved=yes && break
    fi
    sleep 0.05
  done
  [ -n "$moved" ] || { kill "$pid"; echo "the target's event loop never showed up" >&2; exit 1; }
fi
wait "$pid"
echo "placement: $placement"
cat "$out"
