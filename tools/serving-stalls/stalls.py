#!/usr/bin/env python3
"""Splits a serving benchmark's stall time by whose it was (see README.md).

usage: stalls.py <prefix> [threshold ms, default 2]

Reads <prefix>.script (perf script of cpu-clock samples and sched_switch events) and <prefix>.threads.
A window is a stretch in which wrk's worker thread was off CPU for longer than the threshold. Each
window is blamed on the thread with the most CPU samples in it, other than wrk, the server's event
loop, the idle task and perf. A window without such a thread is "no other thread": then wrk and the
loop were the only ones running. Prints, per culprit, the windows and the time beyond the threshold.
"""
import bisect
import collections
import re
import sys

prefix = sys.argv[1]
threshold = float(sys.argv[2] if len(sys.argv) > 2 else 2) / 1000
loop = next(int(l.split()[0]) for l in open(prefix + '.threads') if l.split()[1].startswith('mlops-serving-n'))
header = re.compile(r'^\s*(\S.*?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):(.*)$')
switch = re.compile(r'prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)')
samples, switches, wrk_switches = [], [], collections.Counter()
for line in open(prefix + '.script'):
    m = header.match(line)
    if not m:
        continue
    comm, tid, t, event = m.group(1), int(m.group(2)), float(m.group(4)), m.group(5)
    if event == 'cpu-clock':
        samples.append((t, tid, comm))
    elif event == 'sched:sched_switch':
        s = switch.search(m.group(6))
        switches.append((t, int(s.group(1)), s.group(2), int(s.group(4))))
        if 'prev_comm=wrk ' in m.group(6):
            wrk_switches[int(s.group(1))] += 1
wrk = wrk_switches.most_common(1)[0][0]  # the worker thread (the main one sleeps through the run)
times = [s[0] for s in samples]
span = times[-1] - times[0]
off, windows = None, []
for t, prev, state, nxt in switches:
    if prev == wrk:
        off = (t, state)
    if nxt == wrk and off is not None:
        if t - off[0] > threshold:
            windows.append((off[0], t, off[1]))
        off = None
excess, count = collections.Counter(), collections.Counter()
for a, b, state in windows:
    inside = samples[bisect.bisect_left(times, a):bisect.bisect_right(times, b)]
    others = collections.Counter(c for _, tid, c in inside
                                 if tid not in (wrk, loop) and c not in ('swapper', 'perf'))
    culprit = others.most_common(1)[0][0] if others else 'no other thread'
    if culprit.startswith('GC Thread') or culprit == 'VM Thread':
        culprit = 'GC'
    excess[culprit] += b - a - threshold
    count[culprit] += 1
total = sum(excess.values())
print(f"{span:.2f} s recorded; wrk off CPU > {threshold * 1000:g} ms in {len(windows)} windows; "
      f"time beyond {threshold * 1000:g} ms: {total * 1000:.1f} ms ({total / span * 100:.2f}% of the time)")
for culprit, v in excess.most_common():
    print(f"  {culprit:24} {count[culprit]:4} windows  {v * 1000:8.1f} ms  {v / total * 100:5.1f}%")
