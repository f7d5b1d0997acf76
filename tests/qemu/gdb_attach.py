#!/usr/bin/env python3
"""tools/gdb/aramid.gdb against a real QEMU gdbstub: QEMU starts stopped (-S), gdb loads the
symbols, connects, stops at aramid_boot_main with a hardware breakpoint and shows a backtrace.
Usage: gdb_attach.py SOURCE_DIR ELF"""
import os
import random
import re
import shutil
import subprocess
import sys


def main():
    src, elf = sys.argv[1], sys.argv[2]
    for tool in ("gdb", "qemu-system-x86_64"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} not found (tools/aramid setup installs it)")
            return 1
    port = str(random.randint(20000, 40000))
    qemu = subprocess.Popen(
        ["qemu-system-x86_64", "-M", "microvm", "-accel", "tcg", "-nodefaults", "-display", "none",
         "-no-reboot", "-serial", "null", "-kernel", elf, "-gdb", f"tcp:127.0.0.1:{port}", "-S"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, ARAMID_GDB_PORT=port)
        r = subprocess.run(
            ["gdb", "-batch", "-nx", "-ex", f"file {elf}", "-x",
             os.path.join(src, "tools/gdb/aramid.gdb"), "-ex", "aramid-break-boot",
             "-ex", "continue", "-ex", "bt", "-ex", "print $rip"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=60, env=env)
        out = r.stdout.decode("utf-8", "replace")
        print(out)
    except subprocess.TimeoutExpired:
        print("FAIL: gdb did not finish in 60 s")
        return 1
    finally:
        qemu.kill()
        qemu.wait()
    ok = re.search(r"Breakpoint 1, aramid_boot_main", out) and re.search(r"#0 +aramid_boot_main", out)
    print("PASS" if ok else "FAIL: gdb did not stop at aramid_boot_main")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
