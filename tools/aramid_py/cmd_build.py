"""Configure (CMake preset + Ninja) and build every target.

Builds into build/ (build-asan/ with --asan, where host code runs under AddressSanitizer and
UBSan): the host unit tests, hostsim, sim, bench, the guest test programs (build/guest/) and the
kernel image build/aramid.elf. $ARAMID_JOBS limits parallel jobs (default: all cores).
"""
from __future__ import annotations

import argparse
import subprocess

from aramid_py.util import ROOT, Failure, build_dir, jobs


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--asan", action="store_true",
                        help="build the asan preset into build-asan/")


def build(asan: bool = False) -> None:
    preset = "asan" if asan else "default"
    out = build_dir(asan)
    if not (out / "build.ninja").exists():
        if out != ROOT / ("build-asan" if asan else "build"):
            cmd = ["cmake", "-S", str(ROOT), "-B", str(out), "-G", "Ninja",
                   "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]
        else:
            cmd = ["cmake", "--preset", preset]
        if subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL).returncode != 0:
            raise Failure("CMake configuration failed")
    if subprocess.run(["cmake", "--build", str(out), "-j", str(jobs())], cwd=ROOT).returncode != 0:
        raise Failure("the build failed")


def run(args: argparse.Namespace) -> int:
    build(args.asan)
    return 0
