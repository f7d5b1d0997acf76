"""Boot Alpine in QEMU on this terminal: a login prompt on the serial console (user root, no password).

The image is the pinned Alpine minirootfs plus images/overlay (inittab with a getty on ttyS0,
an empty root password, hostname, fstab) plus the guest test programs, as an initramfs; BusyBox
init (/sbin/init) is PID 1. COM1 is this terminal; Ctrl-C goes to the guest. Press Ctrl-A X to
quit QEMU, Ctrl-A C for QEMU's monitor. `poweroff` in the guest ends QEMU too.

The kernel log (COM2) goes to build/run-kernel.log, unless --log-console puts it on this
terminal as well. --gdb starts QEMU stopped, with its gdbstub on localhost:1234, and prints how
to attach (tools/gdb/aramid.gdb loads the kernel's symbols).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aramid_py import accel, cmd_build, cmd_exec, images, kernels, qemu
from aramid_py.util import ROOT, build_dir, note

GDB_SCRIPT = ROOT / "tools" / "gdb" / "aramid.gdb"


def configure(parser: argparse.ArgumentParser) -> None:
    cmd_exec.add_machine_options(parser)
    parser.add_argument("--init", default="/sbin/init",
                        help="PID 1 (default: /sbin/init, BusyBox init reading /etc/inittab)")
    parser.add_argument("--log", type=Path, help="kernel log file (default: build/run-kernel.log)")
    parser.add_argument("--log-console", action="store_true",
                        help="kernel log on this terminal (console=ttyS0) instead of a file")
    parser.add_argument("--gdb", action="store_true",
                        help="start stopped with QEMU's gdbstub on :1234 and say how to attach")
    parser.add_argument("--dry-run", action="store_true",
                        help="build the image and print the QEMU command instead of running it")


def gdb_hint(kernel: kernels.Kernel) -> str:
    if kernel.name == "linux":
        return ("QEMU waits for gdb on localhost:1234. Debian's vmlinux has no symbols: "
                f"gdb -ex 'target remote localhost:1234' {kernel.image}")
    if GDB_SCRIPT.exists():
        return (f"QEMU waits for gdb on localhost:1234; attach with:\n"
                f"  gdb -ex 'file {kernel.image}' -x {GDB_SCRIPT.relative_to(ROOT)}")
    return ("QEMU waits for gdb on localhost:1234; attach with:\n"
            f"  gdb -ex 'target remote localhost:1234' {kernel.image}\n"
            f"({GDB_SCRIPT.relative_to(ROOT)} does not exist yet: issue #3)")


def run(args: argparse.Namespace) -> int:
    build = build_dir()
    if not args.no_build:
        cmd_build.build()
    kernel = kernels.select(args.kernel, build, args.machine, need="init", what="run")
    accelerator, _ = accel.detect(args.accel)
    name = args.rootfs if args.rootfs in ("alpine", "empty") else "dir"
    initrd = images.initramfs(args.rootfs, build, build / "images" / f"run-{name}.cpio")
    log = None if args.log_console else (args.log or build / "run-kernel.log").resolve()
    append = kernel.cmdline(args.init, log_console=args.log_console)
    if args.append:
        append += " " + args.append
    launch = qemu.Launch(kernel=kernel.image, machine=kernel.machine, accel=accelerator,
                         append=append, initrd=initrd, memory=args.memory, cpu=args.cpu,
                         monitor_on_console=True, kernel_log=log, gdb=args.gdb)
    cmd = qemu.command(launch)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if args.gdb:
        note(gdb_hint(kernel))
    if sys.stdin.isatty():
        note(f"booting {kernel.name}; Ctrl-A X quits" +
             (f"; kernel log in {log}" if log else ""))
    return qemu.run_interactive(cmd)
