"""Linux as the reference kernel: Debian's linux-image-amd64, booted by PVH like Aramid.

QEMU boots an ELF with a PVH note directly and quickly; Debian ships a bzImage whose payload
is that ELF, xz-compressed. We find the xz stream (magic FD 37 7A 58 5A 00), decompress it once
into $ARAMID_CACHE/linux/<version>/vmlinux, and boot that [QEMU-NOTES.md "Linux as the
reference"]. Modules (virtio_blk, ext4, ...) come from /lib/modules/<version>.
"""
from __future__ import annotations

import lzma
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from aramid_py.util import Failure, cache_dir

XZ_MAGIC = b"\xfd7zXZ\x00"
ELF_MAGIC = b"\x7fELF"
BOOT = Path("/boot")
MODULES = Path("/lib/modules")

# What a disk boot needs, in load order (dependencies first) [QEMU-NOTES.md].
DISK_MODULES = ("virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
                "virtio_pci", "virtio_blk", "crc16", "mbcache", "jbd2", "crc32c_generic", "ext4")


@dataclass(frozen=True)
class Kernel:
    version: str
    vmlinuz: Path

    @property
    def modules(self) -> Path:
        return MODULES / self.version


def _version_key(version: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"[.-]", version)]


def installed_kernels(boot: Path = BOOT) -> list[Kernel]:
    found = [Kernel(p.name[len("vmlinuz-"):], p) for p in boot.glob("vmlinuz-*")]
    return sorted(found, key=lambda k: _version_key(k.version))


def newest_kernel(boot: Path = BOOT) -> Kernel:
    kernels = installed_kernels(boot)
    if not kernels:
        raise Failure(f"no Linux kernel in {boot} (Debian package linux-image-amd64); "
                      "run tools/aramid setup")
    return kernels[-1]


def _read_privileged(path: Path) -> bytes:
    """Debian installs /boot/vmlinuz-* mode 0600: read it through sudo when not root."""
    try:
        return path.read_bytes()
    except PermissionError:
        result = subprocess.run(["sudo", "-n", "cat", str(path)], capture_output=True)
        if result.returncode != 0:
            raise Failure(f"cannot read {path} (mode 0600, owned by root): run "
                          "`tools/aramid setup` as root or with sudo once, which extracts it") from None
        return result.stdout


def extract_vmlinux(bzimage: bytes) -> bytes:
    """The ELF inside a bzImage: the first xz stream that decompresses to an ELF file."""
    start = 0
    while (offset := bzimage.find(XZ_MAGIC, start)) >= 0:
        start = offset + 1
        try:
            data = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(bzimage[offset:])
        except lzma.LZMAError:
            continue
        if data.startswith(ELF_MAGIC):
            return data
    raise Failure("no xz-compressed ELF found in the kernel image (is it a bzImage built with "
                  "CONFIG_KERNEL_XZ?)")


def vmlinux(kernel: Kernel | None = None, cache: Path | None = None) -> Path:
    """The uncompressed vmlinux for `kernel` (default: the newest installed), cached."""
    kernel = kernel or newest_kernel()
    out = (cache or cache_dir()) / "linux" / kernel.version / "vmlinux"
    if out.exists() and out.stat().st_mtime_ns >= kernel.vmlinuz.stat().st_mtime_ns:
        return out
    elf = extract_vmlinux(_read_privileged(kernel.vmlinuz))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"vmlinux.tmp{os.getpid()}")
    tmp.write_bytes(elf)
    tmp.replace(out)
    return out


def module_path(kernel: Kernel, name: str) -> Path:
    """The file of module `name` (any compression), found through modules.dep."""
    dep = kernel.modules / "modules.dep"
    if not dep.exists():
        raise Failure(f"{dep} is missing: the modules of Linux {kernel.version} are not installed")
    wanted = name.replace("-", "_")
    for line in dep.read_text().splitlines():
        rel = line.split(":", 1)[0]
        base = Path(rel).name.split(".ko")[0].replace("-", "_")
        if base == wanted:
            return kernel.modules / rel
    raise Failure(f"module {name} is not in {dep}")


def module_bytes(path: Path) -> bytes:
    """A module's ELF, decompressed when Debian shipped it as .ko.xz / .ko.zst."""
    data = path.read_bytes()
    if path.suffix == ".xz":
        return lzma.decompress(data)
    if path.suffix == ".zst":
        result = subprocess.run(["zstd", "-dc", str(path)], capture_output=True)
        if result.returncode != 0:
            raise Failure(f"cannot decompress {path} (Debian package zstd)")
        return result.stdout
    return data
