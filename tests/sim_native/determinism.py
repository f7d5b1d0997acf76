#!/usr/bin/env python3
"""Ten runs of one BusyBox pipeline with the same --seed give byte-identical syscall traces
(the kernel's own formatter, --trace syscall) and output; another seed changes the random
bytes the program sees.

  determinism.py RUNNER
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile

RUNS = 10
# Forks, a pipe, exec, the file system, the clock and the random bytes.
SCRIPT = ("echo hello | cat; ls / | wc -l; date +%s; "
          "head -c 16 /dev/urandom | od -An -tx1; sleep 1; date +%s")


def run(runner: str, seed: int, trace: str) -> tuple[bytes, bytes]:
    p = subprocess.run([runner, "--rootfs", "alpine", "--seed", str(seed), "--trace", "syscall",
                        "--trace-output", trace, "--timeout", "60", "--", "/bin/sh", "-c",
                        SCRIPT], stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"FAIL: the run exited with {p.returncode}\n--- stdout ---\n"
                 f"{p.stdout.decode(errors='replace')}--- stderr ---\n"
                 f"{p.stderr.decode(errors='replace')}")
    with open(trace, "rb") as f:
        return f.read(), p.stdout


def main() -> int:
    runner = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace")
        hashes = []
        first = None
        for i in range(RUNS):
            t, out = run(runner, 42, trace)
            if not t.strip():
                print("FAIL: --trace syscall wrote nothing")
                return 1
            h = hashlib.sha256(t + b"\0" + out).hexdigest()
            hashes.append(h)
            if first is None:
                first = (t, out)
            elif (t, out) != first:
                a = first[0].decode(errors="replace").splitlines()
                b = t.decode(errors="replace").splitlines()
                diff = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]),
                            min(len(a), len(b)))
                print(f"FAIL: run {i} differs from run 0 (trace lines {len(b)} vs {len(a)}; "
                      f"first difference at line {diff + 1}):")
                print("  run 0: " + (a[diff] if diff < len(a) else "<end>"))
                print(f"  run {i}: " + (b[diff] if diff < len(b) else "<end>"))
                if out != first[1]:
                    print(f"  stdout: {first[1]!r} vs {out!r}")
                return 1
        lines = first[0].count(b"\n")
        print(f"{RUNS} runs with seed 42: trace hash {hashes[0][:16]} ({lines} syscalls), "
              f"all identical")
        _, other = run(runner, 43, trace)
        if other == first[1]:
            print("FAIL: seed 43 printed exactly what seed 42 did: the seed does not reach "
                  "the random bytes")
            return 1
        print("seed 43 changes the random bytes")
        print(first[1].decode(errors="replace"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
