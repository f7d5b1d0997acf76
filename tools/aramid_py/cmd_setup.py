"""Install what the project needs (idempotent; prints nothing when everything is there).

The Debian packages listed in tools/packages.txt are installed by tools/aramid itself before
any command runs (apt-get update once when something is missing; root or sudo). This command
then prepares what the packages alone do not give: the uncompressed Linux kernel that
`exec --kernel linux` boots, extracted from /boot/vmlinuz-* into $ARAMID_CACHE/linux/.
The Alpine minirootfs is fetched (and always verified) when an image first needs it.
"""
from __future__ import annotations

import argparse

from aramid_py import linux


def configure(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    del args
    linux.vmlinux()
    return 0
