"""Run the benchmarks.

Without options: every Google Benchmark binary build/bench/*_bench (hostsim kernel paths; issue
#7), one after the other; options this command does not know are passed to them (e.g.
--benchmark_filter=Fork, --benchmark_format=json).

--vs-linux: boot Aramid and Linux in the same QEMU configuration, run the in-guest
microbenchmark program (/aramid/bin/aramid-bench) on each in alternation, and print median ns/op,
the ratio Aramid/Linux and the geometric mean, with JSON and an SVG chart beside them.
"""
from __future__ import annotations

import argparse
import os
import subprocess

from aramid_py import cmd_build
from aramid_py.util import NotBuiltYet, build_dir

PASSES_UNKNOWN = True


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vs-linux", action="store_true",
                        help="in-guest benchmarks on Aramid and Linux side by side")
    parser.add_argument("--no-build", action="store_true", help="do not run the build first")


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
        raise NotBuiltYet("--vs-linux needs the in-guest benchmark program and an Aramid that "
                          "runs it (issue #7)")
    binaries = host_benchmarks()
    if not binaries:
        raise NotBuiltYet("no Google Benchmark binaries (build/bench/*_bench) yet: issue #7")
    status = 0
    for binary in binaries:
        status |= subprocess.run([binary, *args.passthrough]).returncode
    return status
