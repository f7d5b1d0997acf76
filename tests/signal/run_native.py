#!/usr/bin/env python3
"""Runs a contract test program natively on the host (Linux) and compares its transcript with
the expected one, proving the expectation is Linux's. Usage: run_native.py PROGRAM EXPECTED"""
import difflib
import subprocess
import sys


def main() -> int:
    program, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    # A session of its own: the terminal tests need one, and no test may touch ctest's terminal.
    run = subprocess.run([program], capture_output=True, text=True, timeout=60,
                         start_new_session=True, stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        print(f"{program} exited with {run.returncode}\n{run.stderr}")
        return 1
    if run.stdout != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True),
                                                   run.stdout.splitlines(True),
                                                   "expected", "linux"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
