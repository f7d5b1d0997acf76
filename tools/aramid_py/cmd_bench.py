"""Run the benchmarks.

Without options: every Google Benchmark binary build/bench/*_bench (hostsim kernel paths; issue
#7), one after the other; options this command does not know are passed to them (e.g.
--benchmark_filter=Fork, --benchmark_format=json).

--vs-linux: boot Aramid and Linux in the same QEMU configuration, run the in-guest
microbenchmark program (/aramid/bin/aramid-bench) on each in alternation, and print median ns/op,
the ratio Aramid/Linux and the geometric mean, with JSON and an SVG chart beside them.

--boot-time: time from QEMU's start to PID 1 running, for Aramid (microvm and pc) and Linux (pc),
median of --rounds boots each (tools/aramid_py/bench_boot.py).
"""
from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from aramid_py import bench_boot, bench_vs_linux, cmd_build
from aramid_py.util import NotBuiltYet, build_dir

PASSES_UNKNOWN = True
TAKES_PROGRAM = True  # --vs-linux: benchmark names after `--` (default: all)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vs-linux", action="store_true",
                        help="in-guest benchmarks on Aramid and Linux side by side")
    parser.add_argument("--boot-time", action="store_true",
                        help="time from QEMU's start to PID 1 running, Aramid and Linux")
    parser.add_argument("--no-build", action="store_true", help="do not run the build first")
    parser.add_argument("--rounds", type=int, default=5,
                        help="--vs-linux, --boot-time: rounds (default 5)")
    parser.add_argument("--machine",
                        help="--vs-linux, --boot-time: the QEMU machine both kernels run on "
                             "(default: pc for --vs-linux; microvm and pc for --boot-time)")
    parser.add_argument("--accel", choices=("kvm", "tcg"), help="--vs-linux: accelerator")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="--vs-linux: seconds for one run of the guest program")
    parser.add_argument("--out", type=Path,
                        help="--vs-linux: where the JSON and SVG go (default build/bench-results)")
    bench_vs_linux.add_options(parser)


def host_benchmarks() -> list[str]:
    bench = build_dir() / "bench"
    if not bench.is_dir():
        return []
    return sorted(str(p) for p in bench.iterdir()
                  if p.name.endswith("_bench") and p.is_file() and os.access(p, os.X_OK))


def run(args: argparse.Namespace) -> int:
    if not args.no_build:
        cmd_build.build()
    if args.vs_linux:
        return vs_linux(args)
    if args.boot_time:
        return bench_boot.run(args)
    binaries = host_benchmarks()
    if not binaries:
        raise NotBuiltYet("no Google Benchmark binaries (build/bench/*_bench) yet: issue #7")
    status = 0
    for binary in binaries:
        status |= subprocess.run([binary, *args.passthrough]).returncode
    return status


def vs_linux(args: argparse.Namespace) -> int:
    # tools/aramid_py/bench_vs_linux.py (issue #7): per-benchmark failures, a kernel that dies
    # mid-run is booted again, and Linux is measured in full even when Aramid cannot run yet.
    args.machine = args.machine or "pc"
    return bench_vs_linux.run(args)
