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
import io
import os
import subprocess
from pathlib import Path

from aramid_py import bench_vs, cmd_build, cmd_exec, kernels
from aramid_py.util import Failure, NotBuiltYet, build_dir, note

PASSES_UNKNOWN = True
TAKES_PROGRAM = True  # --vs-linux: benchmark names after `--` (default: all)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vs-linux", action="store_true",
                        help="in-guest benchmarks on Aramid and Linux side by side")
    parser.add_argument("--no-build", action="store_true", help="do not run the build first")
    parser.add_argument("--rounds", type=int, default=5, help="--vs-linux: rounds (default 5)")
    parser.add_argument("--machine", default="pc",
                        help="--vs-linux: the QEMU machine both kernels run on (default pc)")
    parser.add_argument("--accel", choices=("kvm", "tcg"), help="--vs-linux: accelerator")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="--vs-linux: seconds for one run of the guest program")
    parser.add_argument("--out", type=Path,
                        help="--vs-linux: where the JSON and SVG go (default build/bench-results)")


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
    binaries = host_benchmarks()
    if not binaries:
        raise NotBuiltYet("no Google Benchmark binaries (build/bench/*_bench) yet: issue #7")
    status = 0
    for binary in binaries:
        status |= subprocess.run([binary, *args.passthrough]).returncode
    return status


def vs_linux(args: argparse.Namespace) -> int:
    build = build_dir()
    program = build / "guest/aramid/bin" / bench_vs.GUEST_PROGRAM
    if not program.exists():
        raise NotBuiltYet(f"{program} does not exist: the in-guest benchmark program is issue #7")
    kernels.select("aramid", build, need="init", what="bench --vs-linux")
    if args.rounds < 1:
        raise Failure("--rounds must be at least 1", code=2)
    results = bench_vs.Results()
    logs = build / "test-logs"
    for i, kernel in enumerate(bench_vs.alternation(args.rounds, results.kernels)):
        run_args = argparse.Namespace(
            kernel=kernel, machine=args.machine, rootfs="alpine", accel=args.accel, cpu=None,
            memory="512M", append="", no_build=True, timeout=args.timeout, boot="initramfs",
            log=logs / f"bench-{kernel}-{i}.kernel.log", verbose=False)
        output = io.BytesIO()
        status = cmd_exec.execute(run_args, [bench_vs.GUEST_PROGRAM, *args.program], output)
        count = results.add_run(kernel, output.getvalue())
        note(f"round {i // 2 + 1}/{args.rounds} {kernel}: {count} results, status {status}")
        if status != 0 or count == 0:
            results.failures.append(f"{kernel} run {i}: status {status}, {count} results "
                                    f"(kernel log {run_args.log})")
    print(bench_vs.table(results), end="")
    json_path, svg_path = bench_vs.write_outputs(results, args.out or build / "bench-results")
    note(f"wrote {json_path} and {svg_path}")
    return 1 if results.failures else 0
