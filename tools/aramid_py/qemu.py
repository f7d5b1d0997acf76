"""Starting QEMU the way every Aramid command does, and reading back what happened.

The machine has two serial ports and two exit channels:
  COM1 (ttyS0)  the user's console: the program's stdio under `exec`, the login under `run`;
  COM2 (ttyS1)  the kernel log (console=ttyS1), written to a file;
  isa-debug-exit at port 0xf4: writing v ends QEMU with status (v << 1) | 1 [QEMU-NOTES.md];
  isa-debugcon at port 0xe9: the test init writes "ARAMID-EXIT-STATUS <n>" there first, because
    the process status of QEMU keeps only 7 bits of v.
"""
from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from aramid_py.util import Failure

QEMU = "qemu-system-x86_64"
DEBUG_EXIT_PORT = 0xF4
DEBUGCON_PORT = 0xE9
STATUS_RE = re.compile(rb"ARAMID-EXIT-STATUS (\d+)")
# Panic banners: Linux's, and Aramid's (kernel/debug/panic.cc).
PANIC_RE = re.compile(rb"Kernel panic - not syncing|KERNEL PANIC")

EXIT_TIMEOUT = 124        # as timeout(1)
EXIT_KERNEL_FAILED = 125  # panic, or the machine stopped without a status
EXIT_QEMU_FAILED = 126    # QEMU itself could not start


@dataclass
class Launch:
    """Everything that varies between QEMU runs."""
    kernel: Path
    machine: str
    accel: str
    append: str = ""
    initrd: Path | None = None
    memory: str = "512M"
    cpu: str | None = None
    # COM1: 'stdio' (this terminal or a pipe, for the program's output) or 'null'.
    user_console: str = "stdio"
    # Ctrl-A prefix for QEMU's monitor and 'quit' on COM1 (interactive `run`).
    monitor_on_console: bool = False
    kernel_log: Path | None = None      # COM2 -> this file; None: COM2 -> this terminal too
    status_file: Path | None = None     # debugcon -> this file
    gdb: bool = False
    drives: list[Path] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def command(launch: Launch) -> list[str]:
    cmd = [QEMU, "-M", launch.machine, "-accel", launch.accel, "-m", launch.memory,
           "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"]
    if launch.cpu:
        cmd += ["-cpu", launch.cpu]
    elif launch.accel == "kvm":
        # Plain `-cpu host` aborts on some hosts (MSR 0x10a) [QEMU-NOTES.md].
        cmd += ["-cpu", "host,-arch-capabilities"]
    if launch.user_console == "stdio":
        mux = ",mux=on" if launch.monitor_on_console else ""
        # signal=off: Ctrl-C goes to the guest (the shell's ^C), not to QEMU.
        cmd += ["-chardev", f"stdio,id=user,signal=off{mux}"]
        if launch.monitor_on_console:
            cmd += ["-mon", "chardev=user,mode=readline"]
    else:
        cmd += ["-chardev", "null,id=user"]
    if launch.kernel_log is not None:
        cmd += ["-chardev", f"file,id=klog,path={launch.kernel_log}"]
        klog = "klog"
    else:
        klog = "user"  # --log-console: the kernel log shares this terminal
    # index=N picks the standard port and IRQ (COM1 0x3f8/4, COM2 0x2f8/3) on pc and microvm alike.
    cmd += ["-device", "isa-serial,index=0,chardev=user",
            "-device", f"isa-serial,index=1,chardev={klog}"]
    cmd += ["-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04"]
    if launch.status_file is not None:
        cmd += ["-chardev", f"file,id=status,path={launch.status_file}",
                "-device", f"isa-debugcon,iobase={DEBUGCON_PORT:#x},chardev=status"]
    for i, drive in enumerate(launch.drives):
        cmd += ["-drive", f"file={drive},if=none,id=disk{i},format=raw",
                "-device", f"virtio-blk-pci,drive=disk{i}" if not launch.machine.startswith("microvm")
                else f"virtio-blk-device,drive=disk{i}"]
    cmd += ["-kernel", str(launch.kernel)]
    if launch.initrd is not None:
        cmd += ["-initrd", str(launch.initrd)]
    if launch.append:
        cmd += ["-append", launch.append]
    if launch.gdb:
        cmd += ["-s", "-S"]
    cmd += launch.extra
    return cmd


@dataclass
class Outcome:
    """How a non-interactive run ended, decided from QEMU's status and the side channels."""
    status: int                # what `exec` exits with
    reason: str                # '' when the program's own status came back
    qemu_status: int | None
    timed_out: bool = False


def decide(qemu_status: int | None, timed_out: bool, status_record: bytes, kernel_log: bytes,
           qemu_stderr: bytes = b"") -> Outcome:
    """Turns what QEMU left behind into the exit status of `exec`.

    Order matters: a timeout or a panic is reported as such even if a status was also seen.
    """
    if timed_out:
        return Outcome(EXIT_TIMEOUT, "timed out", qemu_status, timed_out=True)
    if PANIC_RE.search(kernel_log):
        return Outcome(EXIT_KERNEL_FAILED, "the kernel panicked", qemu_status)
    records = STATUS_RE.findall(status_record)
    if records:
        return Outcome(int(records[-1]), "", qemu_status)
    if qemu_status == 1 and qemu_stderr.strip() and not kernel_log:
        # QEMU's own errors also exit 1; with nothing booted and a complaint on stderr, it is one.
        return Outcome(EXIT_QEMU_FAILED, "QEMU failed: " + qemu_stderr.decode(errors="replace").strip(),
                       qemu_status)
    if qemu_status is not None and qemu_status & 1:
        # Only isa-debug-exit makes QEMU exit with an odd status; its 7 bits are all we have.
        return Outcome(qemu_status >> 1, "", qemu_status)
    if qemu_status == 0:
        return Outcome(EXIT_KERNEL_FAILED,
                       "the machine stopped (power-off or reset) without reporting a status",
                       qemu_status)
    return Outcome(EXIT_QEMU_FAILED, f"QEMU failed (status {qemu_status})", qemu_status)


def run_captured(cmd: list[str], timeout: float, out=None) -> tuple[int | None, bool, bytes]:
    """Runs QEMU with COM1 on a pipe, copying COM1 to `out` as it comes.

    Returns (QEMU's status or None, timed out, QEMU's own stderr). QEMU's stdin is /dev/null,
    so nothing is typed on COM1: a program reading its stdin waits (a serial line has no EOF).
    """
    out = out or sys.stdout.buffer
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    stderr = bytearray()
    timed_out = False
    open_streams = 2
    try:
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in sel.select(timeout=min(remaining, 0.5)):
                chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "out":
                    out.write(chunk)
                    out.flush()
                else:
                    stderr += chunk
    finally:
        if timed_out or proc.poll() is None and open_streams:
            _kill(proc)
        sel.close()
    try:
        status = proc.wait(timeout=max(0.1, deadline - time.monotonic()) if not timed_out else 5)
    except subprocess.TimeoutExpired:
        _kill(proc)
        status = proc.wait()
        timed_out = True
    return (None if timed_out else status), timed_out, bytes(stderr)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_interactive(cmd: list[str]) -> int:
    """Runs QEMU on this terminal (COM1 is stdin/stdout); returns QEMU's status."""
    try:
        return subprocess.call(cmd)
    except FileNotFoundError:
        raise Failure(f"{QEMU} is not installed (Debian package qemu-system-x86); "
                      "run tools/aramid setup") from None
