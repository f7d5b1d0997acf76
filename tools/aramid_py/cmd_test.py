"""Build everything, then run the tests through ctest (output shown on failure).

Any argument this command does not know is passed to ctest, e.g.
  tools/aramid test -L unit          only the unit tests
  tools/aramid test -R Vma           tests whose name matches
  tools/aramid test -LE qemu-linux   everything but the Linux-in-QEMU tests
Labels: unit, sim, sim-native, qemu, qemu-linux, contract, tools (docs/testing.md).
ctest runs in the build directory with $ARAMID_JOBS parallel jobs (default: all cores).
"""
from __future__ import annotations

import argparse
import subprocess

from aramid_py import cmd_build
from aramid_py.util import build_dir, jobs

PASSES_UNKNOWN = True


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--asan", action="store_true",
                        help="build and test the asan preset (build-asan/)")


def run(args: argparse.Namespace) -> int:
    cmd_build.build(args.asan)
    cmd = ["ctest", "--output-on-failure", "-j", str(jobs()), *args.passthrough]
    return subprocess.run(cmd, cwd=build_dir(args.asan)).returncode
