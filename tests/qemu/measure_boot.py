#!/usr/bin/env python3
"""Measures boot latency of build/aramid.elf under QEMU (TCG): the time from starting QEMU to
the kernel's first C++ line (the '!' aramid_boot_main writes to the debugcon port 0xe9), and
to QEMU's exit after the banner; and, from the guest's own TSC (0 at CPU reset), the time from
CPU reset to the first C++ line, which host load disturbs far less. Prints each run and the
medians.
Usage: measure_boot.py [--runs 5] [--machine microvm] [ELF]"""
import argparse
import os
import re
import statistics
import tempfile
import subprocess
import time


def one(elf, machine):
    with tempfile.NamedTemporaryFile(prefix="aramid-serial-") as serial:
        cmd = ["qemu-system-x86_64", "-M", machine, "-accel", "tcg", "-m", "128M", "-nodefaults",
               "-display", "none", "-no-reboot", "-serial", f"file:{serial.name}",
               "-debugcon", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-kernel", elf]
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        first = p.stdout.read(1)
        t_first = time.monotonic() - start
        p.stdout.read()
        p.wait(timeout=30)
        t_exit = time.monotonic() - start
        if first != b"!":
            raise SystemExit(f"no marker from the kernel (got {first!r})")
        log = open(serial.name, errors="replace").read()
        m = re.search(r"first C\+\+ line at (\d+) us after CPU reset", log)
        t_reset = int(m.group(1)) / 1e6 if m else float("nan")
    return t_first, t_exit, t_reset


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--machine", default="microvm")
    ap.add_argument("elf", nargs="?", default=os.path.join("build", "aramid.elf"))
    a = ap.parse_args()
    firsts, exits, resets = [], [], []
    for i in range(a.runs):
        f, e, r = one(a.elf, a.machine)
        firsts.append(f)
        exits.append(e)
        resets.append(r)
        print(f"run {i + 1}: first C++ line {f * 1000:.1f} ms after QEMU start "
              f"({r * 1000:.1f} ms after CPU reset), QEMU exit {e * 1000:.1f} ms")
    print(f"median ({a.machine}, TCG, {a.runs} runs): first C++ line "
          f"{statistics.median(firsts) * 1000:.1f} ms after QEMU start, "
          f"{statistics.median(resets) * 1000:.1f} ms after CPU reset; "
          f"QEMU exit {statistics.median(exits) * 1000:.1f} ms; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
