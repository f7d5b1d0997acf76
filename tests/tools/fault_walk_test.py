"""`debug=fault` on Aramid: a user program's null-pointer write is reported with its registers,
its last system calls and the page walk of the faulting address, and the program still dies
of SIGSEGV (exec status 139) with the kernel alive."""
import subprocess
import sys
import tempfile
from pathlib import Path

import tooltest


def main() -> int:
    with tempfile.TemporaryDirectory(dir=tooltest.BUILD) as tmp:
        log = Path(tmp) / "kernel.log"
        run = subprocess.run([str(tooltest.ROOT / "tools" / "aramid"), "exec", "--no-build",
                              "--append", "debug=fault", "--log", str(log), "--", "crash", "null"],
                             capture_output=True, text=True, timeout=300)
        text = log.read_text(errors="replace") if log.exists() else ""
        problems = []
        if run.returncode != 139:
            problems.append(f"exec status {run.returncode}, expected 139 (SIGSEGV)")
        for needle in ("fatal page fault", "last system calls", "page walk of 0x0000000000000000",
                       "PML4E [  0]"):
            if needle not in text:
                problems.append(f"the kernel log lacks {needle!r}")
        if problems:
            print("FAILED:\n  " + "\n  ".join(problems) + "\nkernel log:\n" + text[-4000:])
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
