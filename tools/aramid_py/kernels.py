"""The kernels `run`, `exec` and `bench` can boot, and what each needs on its command line.

aramid  build/aramid.elf on -M microvm. The kernel log goes to COM2 (`console=ttyS1`) and PID 1
        is named with `init=`. Whether the image can start a user program at all is declared
        by the kernel itself: it defines the ELF symbol `aramid_capability_init` once it starts
        PID 1 from the initramfs and turns PID 1's exit into hal::Power::Exit(status). Until
        then `run` and `exec` say that the kernel is not ready, rather than boot a kernel that
        would power off (or hang) and look like a result.
linux   Debian's kernel, uncompressed (linux.py), on -M pc: microvm hangs about one boot in ten
        at TSC calibration under TCG [QEMU-NOTES.md]. `quiet panic=-1`, and `rdinit=` because
        Linux runs /init from an initramfs unless told otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aramid_py import elf, linux
from aramid_py.util import Failure, NotBuiltYet

CAPABILITY_PREFIX = "aramid_capability_"
KERNELS = ("aramid", "linux")


@dataclass(frozen=True)
class Kernel:
    name: str
    image: Path
    machine: str

    def cmdline(self, init: str, log_console: bool = False) -> str:
        """The command line that makes `init` PID 1 with the kernel log on COM2 (or COM1)."""
        console = "console=ttyS0" if log_console else "console=ttyS1"
        if self.name == "linux":
            return f"{console} quiet panic=-1 rdinit={init}"
        return f"{console} init={init}"

    def disk_cmdline(self, init: str) -> str:
        """As cmdline(), for a root filesystem on the first virtio disk (linux_disk.py)."""
        if self.name == "linux":
            return f"console=ttyS1 quiet panic=-1 rdinit=/init init={init}"
        return f"console=ttyS1 init={init}"


def aramid_capabilities(image: Path) -> set[str]:
    try:
        names = elf.symbols(image)
    except (OSError, elf.ElfError) as error:
        raise Failure(f"cannot read the symbols of {image}: {error}") from None
    return {n[len(CAPABILITY_PREFIX):] for n in names if n.startswith(CAPABILITY_PREFIX)}


def require_capability(image: Path, capability: str, what: str) -> None:
    if capability not in aramid_capabilities(image):
        raise NotBuiltYet(
            f"{what}: {image.name} cannot do this yet (it does not define the symbol "
            f"{CAPABILITY_PREFIX}{capability}, which the kernel adds once it starts PID 1 from "
            f"the initramfs; issue #3). Use --kernel linux to run the same thing on Linux.")


def select(name: str, build: Path, machine: str | None = None,
           need: str | None = "init", what: str = "") -> Kernel:
    """The kernel called `name`, checked to exist (and for Aramid, to have `need`)."""
    if name == "aramid":
        image = build / "aramid.elf"
        if not image.exists():
            raise Failure(f"{image} does not exist: run tools/aramid build")
        if need:
            require_capability(image, need, what)
        return Kernel("aramid", image, machine or "microvm")
    if name == "linux":
        return Kernel("linux", linux.vmlinux(), machine or "pc")
    raise Failure(f"--kernel: expected one of {', '.join(KERNELS)}, not '{name}'", code=2)
