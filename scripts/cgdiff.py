#!/usr/bin/env python3
"""Compares two callgrind profiles function by function: the difference in
instructions of the whole run and of the functions that moved most. Two
builds of the same code can differ by a tenth of a gigainstruction when the
compiler inlines a function in one and not in the other; this shows where.

    valgrind --tool=callgrind --callgrind-out-file=a.out BINARY_A run ...
    valgrind --tool=callgrind --callgrind-out-file=b.out BINARY_B run ...
    scripts/cgdiff.py a.out b.out [N]     # N functions each way (12)
"""
import re
import subprocess
import sys


def functions(profile):
    text = subprocess.run(
        ["callgrind_annotate", "--threshold=100", profile],
        capture_output=True, text=True, check=True,
    ).stdout
    counts = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if m:
            # The binary's path differs between the two profiles.
            name = re.sub(r"\s*\[[^\]]*\]$", "", m.group(2)).strip()
            counts[name] = counts.get(name, 0) + int(m.group(1).replace(",", ""))
    return counts


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    a, b = functions(sys.argv[1]), functions(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    total = "PROGRAM TOTALS"
    print(f"total {b.get(total, 0) - a.get(total, 0):+,}")
    moved = sorted(
        (b.get(k, 0) - a.get(k, 0), k) for k in (a.keys() | b.keys()) - {total}
    )
    for d, name in moved[:n] + moved[-n:]:
        if d:
            print(f"{d:+16,}  {name[:140]}")


if __name__ == "__main__":
    main()
