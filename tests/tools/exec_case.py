"""One `tools/aramid exec` check for ctest: the program's output and exit status must match.

usage: exec_case.py [--stdout TEXT | --empty-stdout] [--stdout-re REGEX] [--stderr-re REGEX] --status N -- EXEC-ARGS...
TEXT is a Python string literal body (escapes like \\n work). The exec runs with --no-build
(ctest runs after the build) and its stdout is compared byte for byte.
"""
import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    argv = sys.argv[1:]
    cut = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--stdout")
    parser.add_argument("--empty-stdout", action="store_true", help="the program prints nothing")
    parser.add_argument("--stdout-re")
    parser.add_argument("--stderr-re")
    parser.add_argument("--status", type=int, required=True)
    opts = parser.parse_args(argv[:cut])
    if opts.empty_stdout:
        opts.stdout = ""
    cmd = [str(ROOT / "tools" / "aramid"), "exec", "--no-build", *argv[cut + 1:]]
    result = subprocess.run(cmd, capture_output=True, timeout=300)
    failures = []
    if opts.stdout is not None:
        want = ast.literal_eval('"' + opts.stdout.replace('"', '\\"') + '"').encode()
        if result.stdout != want:
            failures.append(f"stdout is {result.stdout!r}, expected {want!r}")
    if opts.stdout_re is not None and not re.search(opts.stdout_re.encode(), result.stdout):
        failures.append(f"stdout {result.stdout!r} does not match {opts.stdout_re!r}")
    if opts.stderr_re is not None and not re.search(opts.stderr_re.encode(), result.stderr):
        failures.append(f"stderr does not match {opts.stderr_re!r}")
    if result.returncode != opts.status:
        failures.append(f"exit status is {result.returncode}, expected {opts.status}")
    print("command:", " ".join(cmd))
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        print("stderr:\n" + result.stderr.decode(errors="replace"))
        return 1
    print("ok: status", result.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
