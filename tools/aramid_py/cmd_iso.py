"""Build a GRUB rescue image (BIOS and UEFI) that boots build/aramid.elf on real machines.

Builds first, then runs tools/mkiso.sh (written with the x86_64 backend, issue #3), passing
it any arguments given here. Boot the result with `qemu-system-x86_64 -cdrom build/aramid.iso`.
"""
from __future__ import annotations

import argparse
import subprocess

from aramid_py import cmd_build
from aramid_py.util import ROOT, NotBuiltYet

PASSES_UNKNOWN = True
SCRIPT = ROOT / "tools" / "mkiso.sh"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-build", action="store_true", help="do not run the build first")


def run(args: argparse.Namespace) -> int:
    if not SCRIPT.exists():
        raise NotBuiltYet("tools/mkiso.sh does not exist yet (the x86_64 backend writes it, issue #3)")
    if not args.no_build:
        cmd_build.build()
    return subprocess.run(["bash", str(SCRIPT), *args.passthrough]).returncode
