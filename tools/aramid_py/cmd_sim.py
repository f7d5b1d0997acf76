"""Run a Linux program on the kernel inside this process (hostsim native mode).

usage: tools/aramid sim [--rootfs alpine|DIR|none] [options] -- PROGRAM [ARGS...]

Runs build/sim/aramid-sim, the hostsim native-mode runner (issue #6), which loads PROGRAM (a
Linux x86_64 ELF on the host; a bare name is looked up in build/guest/aramid/bin, so
`-- hello` runs the guest test program) and runs it on the kernel under ptrace. Options this
command does not know are passed to the runner (e.g. --trace syscall).
"""
from __future__ import annotations

import argparse
import os
import subprocess

from aramid_py import cmd_build
from aramid_py.util import Failure, NotBuiltYet, build_dir

TAKES_PROGRAM = True
PASSES_UNKNOWN = True
RUNNER = "sim/aramid-sim"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-build", action="store_true", help="do not run the build first")
    parser.add_argument("--rootfs", default="alpine",
                        help="alpine (the pinned minirootfs, as exec), a host directory, or none "
                             "(only the program's own file) (default: alpine)")


def run(args: argparse.Namespace) -> int:
    build = build_dir()
    if not args.no_build:
        cmd_build.build()
    runner = build / RUNNER
    if not os.access(runner, os.X_OK):
        raise NotBuiltYet(f"{runner} does not exist: hostsim native mode is issue #6")
    if not args.program:
        raise Failure("no program: give it after `--`, e.g. tools/aramid sim -- hello", code=2)
    program = list(args.program)
    if "/" not in program[0] and (build / "guest/aramid/bin" / program[0]).exists():
        program[0] = str(build / "guest/aramid/bin" / program[0])
    rootfs = [] if args.rootfs == "none" else ["--rootfs", args.rootfs]
    return subprocess.run([str(runner), *rootfs, *args.passthrough, "--", *program]).returncode
