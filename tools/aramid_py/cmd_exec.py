"""Boot a kernel in QEMU, run one program in it, print only its output, exit with its status.

usage: tools/aramid exec [options] -- PROGRAM [ARGS...]

The image is the root filesystem (--rootfs) plus the guest programs from the build
(/aramid/bin is on PATH, so `-- hello` runs /aramid/bin/hello) plus the test init
(/aramid/init, tests/init/aramid-test-init.c), which runs PROGRAM as its child with stdio on
COM1 and reports its status. Arguments reach the guest byte for byte through /aramid/exec.args.

Output: COM1 (the program's stdout and stderr, exactly as written) goes to this stdout.
The kernel log (COM2) goes to the file given by --log, build/exec-kernel.log by default; it is
shown on stderr when something went wrong.

Exit status: the program's exit status; 128+N when a signal N killed it; 124 on timeout;
125 when the kernel panicked or the machine stopped without reporting a status; 126 when QEMU
could not start (or the program could not be executed); 127 when the program does not exist.
On Aramid, until the kernel reports the full status itself, only statuses 0-127 are exact
(QEMU's isa-debug-exit keeps 7 bits).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from aramid_py import accel, cmd_build, ext4, images, kernels, linux_disk, qemu
from aramid_py.util import Failure, build_dir, note

TAKES_PROGRAM = True
DEFAULT_TIMEOUT_S = 120.0
LOG_TAIL_LINES = 80
DISK_SIZE = "256M"  # sparse: only the blocks written take space


def add_machine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kernel", default="aramid", choices=kernels.KERNELS,
                        help="aramid (build/aramid.elf, -M microvm) or linux (Debian's, -M pc)")
    parser.add_argument("--rootfs", default="alpine",
                        help="alpine (the pinned minirootfs + images/overlay), empty (only the "
                             "test programs), or a host directory (default: alpine)")
    parser.add_argument("--accel", choices=("kvm", "tcg"),
                        help="override the automatic choice (KVM only with vmx/svm; else TCG)")
    parser.add_argument("--machine", help="QEMU machine (default: microvm for aramid, pc for linux)")
    parser.add_argument("--cpu", help="QEMU -cpu model (default: QEMU's for TCG, host for KVM)")
    parser.add_argument("--memory", default="512M", help="guest memory (default: 512M)")
    parser.add_argument("--append", default="", help="more kernel command-line words")
    parser.add_argument("--no-build", action="store_true",
                        help="do not run the build first (use what build/ has)")


def configure(parser: argparse.ArgumentParser) -> None:
    add_machine_options(parser)
    parser.add_argument("--boot", choices=("initramfs", "disk"), default="initramfs",
                        help="the image as an initramfs (default), or as an ext4 disk on "
                             "virtio-blk (Linux: loads the disk modules from a small initramfs)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help=f"seconds before giving up (exit 124; default {DEFAULT_TIMEOUT_S:g})")
    parser.add_argument("--log", type=Path,
                        help="kernel log file (default: build/exec-kernel.log)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print the QEMU command line and the accelerator choice on stderr")


def show_log_tail(log: Path, reason: str) -> None:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    print(f"aramid exec: {reason}; kernel log {log} (last {LOG_TAIL_LINES} lines):",
          file=sys.stderr)
    for line in lines[-LOG_TAIL_LINES:]:
        print(f"  | {line}", file=sys.stderr)


def execute(args: argparse.Namespace, program: list[str], out=None) -> int:
    """Boots, runs `program`, copies its output to `out`; returns the exec exit status."""
    if not program:
        raise Failure("no program: give it after `--`, e.g. tools/aramid exec -- /bin/busybox echo ok",
                      code=2)
    build = build_dir()
    if not args.no_build:
        cmd_build.build()
    kernel = kernels.select(args.kernel, build, args.machine, need="init", what="exec")
    accelerator, why = accel.detect(args.accel)
    log = (args.log or build / "exec-kernel.log").resolve()
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="exec-", dir=build))
    try:
        words = ["--console=/dev/ttyS0", "--", *program]
        drives = []
        if args.boot == "disk":
            if kernel.name != "linux":
                kernels.require_capability(kernel.image, "disk", "exec --boot disk")
            tree = images.image_tree(args.rootfs, build)
            for entry in images.exec_args_tree(words):
                if entry.path:
                    tree.add(entry)
            drives.append(ext4.write(tree, scratch / "disk.img", DISK_SIZE))
            initrd = linux_disk.modules_initramfs(build) if kernel.name == "linux" else None
            append = kernel.disk_cmdline(images.TEST_INIT)
        else:
            initrd = images.initramfs(args.rootfs, build, scratch / "initramfs.cpio",
                                      images.exec_args_tree(words))
            append = kernel.cmdline(images.TEST_INIT)
        status_file = scratch / "status"
        if args.append:
            append += " " + args.append
        launch = qemu.Launch(kernel=kernel.image, machine=kernel.machine, accel=accelerator,
                             append=append, initrd=initrd, memory=args.memory, cpu=args.cpu,
                             kernel_log=log, status_file=status_file, drives=drives)
        cmd = qemu.command(launch)
        if args.verbose:
            note(f"accelerator {accelerator}: {why}")
            note("qemu command: " + " ".join(cmd))
        qemu_status, timed_out, qemu_stderr = qemu.run_captured(cmd, args.timeout, out)
        record = status_file.read_bytes() if status_file.exists() else b""
        kernel_log = log.read_bytes() if log.exists() else b""
        outcome = qemu.decide(qemu_status, timed_out, record, kernel_log, qemu_stderr)
        if outcome.reason:
            if qemu_stderr:
                sys.stderr.write(qemu_stderr.decode(errors="replace"))
            show_log_tail(log, f"{outcome.reason} (exit {outcome.status})")
        return outcome.status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    return execute(args, args.program)
