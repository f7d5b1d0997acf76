#!/usr/bin/env python3
"""Boots Aramid in QEMU once and checks what it printed and how QEMU exited.

Every run has a timeout and -no-reboot: a test can fail but never hang. Acceleration follows
QEMU-NOTES.md: TCG unless the CPU has vmx/svm and /dev/kvm is usable (tests pass under TCG).
Verdicts come from isa-debug-exit: the kernel's Power::Exit(v) makes QEMU exit with (v<<1)|1,
so 1 = clean exit, 255 = panic, 7 = bad command line; 0 = a real ACPI power-off.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"


def accel():
    if os.environ.get("ARAMID_ACCEL"):
        return os.environ["ARAMID_ACCEL"]
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
        if os.access("/dev/kvm", os.R_OK | os.W_OK) and re.search(r"\b(vmx|svm)\b", flags):
            return "kvm"
    except OSError:
        pass
    return "tcg"


def run(cmd, timeout, send_after):
    """Runs QEMU; returns (output, exit code), or (output, None) after a timeout (QEMU killed)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    chunks = []
    seen = threading.Event()
    marker = send_after[0].encode() if send_after else None

    def reader():
        while True:
            data = proc.stdout.read1(4096)
            if not data:
                return
            chunks.append(data)
            if marker is not None and marker in b"".join(chunks):
                seen.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + timeout
    if send_after:
        if seen.wait(timeout):
            proc.stdin.write(send_after[1].encode().decode("unicode_escape").encode())
            proc.stdin.flush()
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    t.join(timeout=5)
    try:
        proc.stdin.close()
    except OSError:
        pass
    return b"".join(chunks).decode("utf-8", "replace"), code


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--machine", default="microvm")
    p.add_argument("--memory", default="128M")
    p.add_argument("--cpu")
    p.add_argument("--read-port", type=int, default=0,
                   help="which serial port is read (0 = COM1; 1 = COM2, with COM1 discarded)")
    p.add_argument("--kernel", help="boot this ELF with -kernel (PVH)")
    p.add_argument("--iso", help="boot this ISO from the CD-ROM (GRUB, Multiboot2)")
    p.add_argument("--ovmf", action="store_true", help="UEFI firmware instead of SeaBIOS")
    p.add_argument("--append", default="", help="kernel command line (with --kernel)")
    p.add_argument("--no-debug-exit", action="store_true",
                   help="omit isa-debug-exit: the kernel must power QEMU off by ACPI")
    p.add_argument("--expect", action="append", default=[], help="regex the output must match")
    p.add_argument("--forbid", action="append", default=[], help="regex the output must not match")
    p.add_argument("--expect-number", nargs=3, action="append", default=[],
                   metavar=("REGEX", "MIN", "MAX"),
                   help="the first group of REGEX must be an integer in [MIN, MAX]")
    p.add_argument("--exit-code", type=int, default=1)
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--extra", action="append", default=[], help="one more QEMU argument")
    p.add_argument("--send-after", nargs=2, metavar=("MARKER", "TEXT"),
                   help="once the output contains MARKER, type TEXT (\\n for newline) on the serial port")
    a = p.parse_args()

    if shutil.which(a.qemu) is None:
        print(f"FAIL: {a.qemu} not found (tools/aramid setup installs qemu-system-x86)")
        return 1
    tmp = tempfile.mkdtemp(prefix="aramid-qemu-")
    try:
        machine = a.machine
        cmd = [a.qemu, "-M", machine, "-accel", accel(), "-m", a.memory, "-nodefaults",
               "-display", "none", "-no-reboot"]
        # The output read is the serial port numbered --read-port (0 = COM1, 1 = COM2).
        cmd += ["-serial", "null"] * a.read_port + ["-serial", "stdio"]
        if a.cpu:
            cmd += ["-cpu", a.cpu]
        if not a.no_debug_exit:
            cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if a.kernel:
            cmd += ["-kernel", a.kernel]
            if a.append:
                cmd += ["-append", a.append]
        if a.iso:
            cmd += ["-cdrom", a.iso, "-boot", "d"]
        if a.ovmf:
            for f in (OVMF_CODE, OVMF_VARS):
                if not os.path.exists(f):
                    print(f"FAIL: {f} missing (Debian package ovmf)")
                    return 1
            vars_copy = os.path.join(tmp, "vars.fd")
            shutil.copy(OVMF_VARS, vars_copy)
            cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                    "-drive", f"if=pflash,format=raw,file={vars_copy}"]
        cmd += a.extra
        print("+ " + " ".join(cmd), flush=True)
        start = time.monotonic()
        out, code = run(cmd, a.timeout, a.send_after)
        if code is None:
            print(out)
            print(f"FAIL: QEMU still running after {a.timeout:.0f} s (killed)")
            return 1
        elapsed = time.monotonic() - start
        out = out.replace("\r", "")
        print(out)
        print(f"--- QEMU exited with {code} after {elapsed:.2f} s")
        failures = []
        if code != a.exit_code:
            failures.append(f"exit code {code}, expected {a.exit_code}")
        for rx in a.expect:
            if not re.search(rx, out, re.M):
                failures.append(f"output lacks /{rx}/")
        for rx in a.forbid:
            if re.search(rx, out, re.M):
                failures.append(f"output has forbidden /{rx}/")
        for rx, lo, hi in a.expect_number:
            m = re.search(rx, out, re.M)
            if not m:
                failures.append(f"output lacks /{rx}/")
            elif not int(lo) <= int(m.group(1)) <= int(hi):
                failures.append(f"/{rx}/ gave {m.group(1)}, expected {lo}..{hi}")
        for f in failures:
            print("FAIL: " + f)
        if not failures:
            print("PASS")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
