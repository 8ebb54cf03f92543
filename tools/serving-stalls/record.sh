#!/usr/bin/env bash
# usage: record.sh <output prefix> [-Dserving... overrides]
# Runs ServingBenchmark (1-row LR, log on, NIO, -t1 -c4, 20 s) from the current built tree and records
# 4 s of it with perf: <prefix>.perf, <prefix>.script (perf script), <prefix>.threads (tid and name of
# the JVM's threads), <prefix>.txt (the benchmark's output). See README.md.
set -euo pipefail
out=$1
shift
java -Xms2g -Xmx4g -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
  -cp "benchmarks/target/classes:$(cat benchmarks/cp.txt)" -Dserving.only=lr -Dserving.rows=1 \
  -Dserving.load=c4 -Dserving.logging=on -Dserving.transport=nio -Dserving.seconds=20 -Dserving.warmup=10 \
  "$@" dev.mlops.benchmarks.serving.ServingBenchmark > "$out.txt" 2>&1 &
jvm=$!
for _ in $(seq 1 300); do
  pgrep -f "wrk.*-d20s" > /dev/null && break
  sleep 1
done
sleep 4 # inside the measured run
for t in /proc/$jvm/task/*; do echo "$(basename "$t") $(cat "$t/comm")"; done > "$out.threads"
perf record -q -a -g -F 2000 -e cpu-clock -e sched:sched_switch -o "$out.perf" -- sleep 4 > /dev/null 2>&1
wait $jvm
perf script -i "$out.perf" -F comm,tid,cpu,time,event,trace,ip,sym > "$out.script" 2> /dev/null
grep "^| [hl]" "$out.txt" | tail -1
