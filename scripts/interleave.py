#!/usr/bin/env python3
"""Times commands side by side: one warm-up run each, then ROUNDS rounds in
which every command runs once (the order turning by one each round), so that
each meets the same moments of a noisy machine. Prints each command's wall
time (median, range), user and system time, and, for every command after the
first, its multiple of the first: the median of the per-round multiples (each
round's own pair) and the multiple of the medians.

    scripts/interleave.py ROUNDS 'floor=CMD' 'run=CMD' 'check=CMD'

A command that fails stops the benchmark with its stderr.
"""
import resource
import shlex
import statistics
import subprocess
import sys
import time


def timed(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{shlex.join(argv)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    names, commands = [], []
    for spec in sys.argv[2:]:
        name, _, command = spec.partition("=")
        names.append(name)
        commands.append(shlex.split(command))
    for argv in commands:
        timed(argv)
    times = [[] for _ in commands]
    for r in range(rounds):
        for k in range(len(commands)):
            i = (k + r) % len(commands)
            times[i].append(timed(commands[i]))
    walls = [[t[0] for t in ts] for ts in times]
    for name, ts, ws in zip(names, times, walls):
        user = statistics.median(t[1] for t in ts)
        system = statistics.median(t[2] for t in ts)
        print(f"  {name:6s} {statistics.median(ws):7.3f} s  ({min(ws):.3f}–{max(ws):.3f}, {rounds} runs)"
              f"  user {user:.3f} s, system {system:.3f} s")
    first = walls[0]
    for name, ws in zip(names[1:], walls[1:]):
        paired = statistics.median(w / f for w, f in zip(ws, first))
        of_medians = statistics.median(ws) / statistics.median(first)
        print(f"  {name} / {names[0]}: {paired:.1f}x (median of the rounds' own multiples,"
              f" {min(w / f for w, f in zip(ws, first)):.1f}–{max(w / f for w, f in zip(ws, first)):.1f}),"
              f" {of_medians:.1f}x (of the medians)")


if __name__ == "__main__":
    main()
