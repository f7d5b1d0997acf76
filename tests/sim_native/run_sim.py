#!/usr/bin/env python3
"""Runs build/sim/aramid-sim once and checks what it did: exit status, stdout, stderr, and that
no stub process outlived it.

  run_sim.py --runner PATH [--status N] [--stdout TEXT] [--stderr-has TEXT] [--timeout S]
             -- RUNNER-ARGS...
  run_sim.py --runner PATH --cases FILE --case NAME

A case file holds shell cases run with `aramid-sim --rootfs alpine -- /bin/sh -c CMD`:

  == name                 starts a case
  $ command               run by /bin/sh -c   (`% command`: by /bin/busybox sh -c)
  ? 3                     the expected exit status (default 0)
  anything else           a line of the expected stdout

This script makes itself a child subreaper [man 2 PR_SET_CHILD_SUBREAPER], so stubs orphaned by
the runner's exit become its children: any that is still alive a moment after the runner
exited is a leak and fails the test. A missing Alpine tarball fails (the runner says where it
looked), it never skips.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def parse_cases(path: str) -> dict[str, dict]:
    cases: dict[str, dict] = {}
    current = None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#") and current is None:
                continue
            if line.startswith("== "):
                current = {"argv": None, "status": 0, "stdout": []}
                cases[line[3:].strip()] = current
            elif current is None:
                continue
            elif line.startswith("$ "):
                current["argv"] = ["/bin/sh", "-c", line[2:]]
            elif line.startswith("% "):
                current["argv"] = ["/bin/busybox", "sh", "-c", line[2:]]
            elif line.startswith("? "):
                current["status"] = int(line[2:])
            else:
                current["stdout"].append(line)
    for name, case in cases.items():
        while case["stdout"] and case["stdout"][-1] == "":
            case["stdout"].pop()  # blank lines between cases
        if case["argv"] is None:
            raise SystemExit(f"{path}: case {name} has no command")
    return cases


def descendants_alive() -> list[str]:
    """Children of this process (adopted orphans included) that are not zombies."""
    me = os.getpid()
    alive = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        state, ppid = rest[0], int(rest[1])
        if ppid == me and state != "Z":
            comm = stat[stat.find("(") + 1:stat.rfind(")")]
            alive.append(f"pid {pid} ({comm}) state {state}")
    return alive


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--status", type=int, default=None)
    ap.add_argument("--stdout", default=None)
    ap.add_argument("--stderr-has", default=None)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--cases")
    ap.add_argument("--case")
    argv_in = sys.argv[1:]
    tail: list[str] = []
    if "--" in argv_in:  # everything after the first `--` goes to the runner untouched
        i = argv_in.index("--")
        argv_in, tail = argv_in[:i], argv_in[i + 1:]
    a = ap.parse_args(argv_in)

    if a.cases:
        case = parse_cases(a.cases)[a.case]
        argv = [a.runner, "--rootfs", "alpine", "--timeout", "60", "--", *case["argv"]]
        want_status = case["status"]
        want_stdout = "".join(l + "\n" for l in case["stdout"])
    else:
        argv = [a.runner, *tail]
        want_status = 0 if a.status is None else a.status
        want_stdout = None if a.stdout is None else a.stdout.encode().decode("unicode_escape")

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("cannot become a child subreaper", file=sys.stderr)
        return 1
    start = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=a.timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL: {' '.join(argv)} did not finish in {a.timeout} s")
        return 1
    elapsed = time.monotonic() - start
    out = p.stdout.decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    problems = []
    if p.returncode != want_status:
        problems.append(f"exit status {p.returncode}, expected {want_status}")
    if want_stdout is not None and out != want_stdout:
        problems.append(f"stdout {out!r}, expected {want_stdout!r}")
    if a.stderr_has is not None and a.stderr_has not in err:
        problems.append(f"stderr lacks {a.stderr_has!r}")

    # Stubs die with the runner (PR_SET_PDEATHSIG); give the host a moment to deliver that.
    deadline = time.monotonic() + 5
    while True:
        reap()
        leaked = descendants_alive()
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if leaked:
        problems.append("processes outlived the runner: " + ", ".join(leaked))

    print(f"$ {' '.join(argv)}  ({elapsed:.2f} s, status {p.returncode})")
    if problems:
        print("FAIL: " + "; ".join(problems))
        print("--- stdout ---\n" + out + "--- stderr ---\n" + err)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
