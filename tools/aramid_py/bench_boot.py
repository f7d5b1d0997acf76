"""`tools/aramid bench --boot-time`: how long from QEMU's start until PID 1 runs.

PID 1 is /aramid/bin/first-light (tests/progs/first_light.c): no C library, no start files; its
first system calls open COM1 and write one byte there, then it powers the machine off. The time
is taken on the host from just before QEMU is spawned to the arrival of that byte on QEMU's
stdout, so it covers QEMU's own start, firmware (none for PVH on microvm; SeaBIOS on pc), the
kernel's boot, unpacking the Alpine image given as initramfs, and the exec of PID 1. The only
guest work after PID 1's first instruction is those few system calls (on Linux also a mkdir and
a devtmpfs mount, since Linux mounts nothing on /dev of an initramfs).

Each kernel runs on each machine `--rounds` times, kernels alternating within a round, and the
median is printed; Aramid runs on microvm (what issue #3 asks about) and pc, Linux on pc only by
default, since on microvm under TCG it hangs about one boot in ten at TSC calibration
[QEMU-NOTES.md]. With --machine, both kernels run on that machine alone. The figures go to
boot-time.json beside the --vs-linux results.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from aramid_py import accel, images, kernels, qemu
from aramid_py.util import Failure, build_dir

PROGRAM = "/aramid/bin/first-light"
FIRST_BYTE_TIMEOUT_S = 120.0
EXIT_TIMEOUT_S = 30.0


def configurations(machine: str | None) -> list[tuple[str, str]]:
    if machine:
        return [("aramid", machine), ("linux", machine)]
    return [("aramid", "microvm"), ("aramid", "pc"), ("linux", "pc")]


def one_boot(cmd: list[str]) -> float:
    """Seconds from spawning QEMU to PID 1's byte on COM1; raises Failure if it never comes."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = started + FIRST_BYTE_TIMEOUT_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"no byte from PID 1 within {FIRST_BYTE_TIMEOUT_S:g} s")
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                err = proc.stderr.read().decode(errors="replace")
                raise Failure(f"QEMU exited before PID 1 wrote anything: {err.strip()}")
            if b"!" in chunk:
                elapsed = time.monotonic() - started
                break
        try:
            status = proc.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise Failure(f"PID 1 ran but the machine did not power off within "
                          f"{EXIT_TIMEOUT_S:g} s") from None
        # Linux powers off through ACPI (status 0); Aramid through isa-debug-exit (odd status).
        if status not in (0, 1) and status % 2 == 0:
            raise Failure(f"QEMU exited with status {status} after PID 1 powered off")
        return elapsed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run(args) -> int:
    build = build_dir()
    accelerator, _ = accel.detect(args.accel)
    out_dir = (args.out or build / "bench-results").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="boot-time-", dir=build))
    try:
        initrd = images.initramfs("alpine", build, scratch / "initramfs.cpio")
        configs = configurations(args.machine)
        commands = {}
        for name, machine in configs:
            kernel = kernels.select(name, build, machine, need="init", what="bench --boot-time")
            launch = qemu.Launch(kernel=kernel.image, machine=machine, accel=accelerator,
                                 append=kernel.cmdline(PROGRAM), initrd=initrd,
                                 memory=args.memory, kernel_log=scratch / f"{name}-{machine}.log")
            commands[(name, machine)] = qemu.command(launch)
        samples: dict[tuple[str, str], list[float]] = {c: [] for c in configs}
        failures = 0
        for round_no in range(1, args.rounds + 1):
            for config in configs:
                try:
                    seconds = one_boot(commands[config])
                except Failure as failure:
                    failures += 1
                    print(f"aramid bench: boot {round_no} of {config[0]} on {config[1]} "
                          f"failed: {failure}")
                    continue
                samples[config].append(seconds)
                print(f"aramid bench: boot {round_no}/{args.rounds} {config[0]} on "
                      f"{config[1]}: {seconds * 1000:.0f} ms", flush=True)
        print(f"\nQEMU start to PID 1 running ({accelerator}, -m {args.memory}, Alpine "
              f"initramfs), median of {args.rounds}:")
        results = []
        for (name, machine), values in samples.items():
            median = statistics.median(values) if values else None
            results.append({"kernel": name, "machine": machine, "seconds": values,
                            "median_s": median})
            shown = f"{median * 1000:8.0f} ms" if median is not None else "  no boot"
            spread = (f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
                      if values else "")
            print(f"  {name:<7} {machine:<8} {shown}  {spread}")
        by = {(r["kernel"], r["machine"]): r["median_s"] for r in results}
        for machine in sorted({m for _, m in configs}):
            a, l = by.get(("aramid", machine)), by.get(("linux", machine))
            if a and l:
                print(f"  Aramid/Linux on {machine}: {a / l:.3f}")
        (out_dir / "boot-time.json").write_text(json.dumps(
            {"accel": accelerator, "memory": args.memory, "program": PROGRAM,
             "results": results}, indent=2) + "\n")
        print(f"written: {out_dir / 'boot-time.json'}")
        return 1 if failures else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
