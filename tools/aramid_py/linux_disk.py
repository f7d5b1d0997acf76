"""Booting Debian's Linux from an ext4 disk: a small initramfs that loads the disk modules.

virtio_blk and ext4 are modules in Debian's kernel [QEMU-NOTES.md], so a disk boot needs an
initramfs that insmods them (in dependency order), waits for /dev/vda, mounts it and
switch_roots into it, running the `init=` named on the kernel command line (default
/sbin/init). The tools pass `rdinit=/init init=...`; the initramfs is BusyBox and the musl
loader from the pinned Alpine minirootfs, the modules from /lib/modules/<version>.
"""
from __future__ import annotations

import os
import tarfile
from pathlib import Path

from aramid_py import cpio, fstree, linux, rootfs

# From the minirootfs: BusyBox and what it links against (musl's loader is also its libc).
BUSYBOX_FILES = ("bin/busybox", "lib/ld-musl-x86_64.so.1")

INIT_SCRIPT = """#!/bin/busybox sh
# /init of the module-loading initramfs (tools/aramid_py/linux_disk.py): load the disk modules,
# mount /dev/vda, hand over to the init named by init= on the kernel command line.
bb=/bin/busybox
fail() {{ echo "linux-disk-initramfs: $*" >&2; $bb sleep 1; $bb poweroff -f; }}
$bb mkdir -p /proc /dev /newroot
$bb mount -t proc proc /proc || fail "cannot mount /proc"
$bb mount -t devtmpfs devtmpfs /dev || fail "cannot mount /dev"
for m in {modules}; do
	$bb insmod /lib/modules/$m.ko || fail "insmod $m failed"
done
n=0
while [ ! -b /dev/vda ]; do
	n=$((n + 1))
	[ $n -gt 100 ] && fail "no /dev/vda after 10 s"
	$bb usleep 100000
done
$bb mount -t ext4 /dev/vda /newroot || fail "cannot mount /dev/vda as ext4"
init=/sbin/init
for word in $($bb cat /proc/cmdline); do
	case "$word" in init=*) init="${{word#init=}}";; esac
done
$bb umount /proc
$bb umount /dev
exec $bb switch_root /newroot "$init"
"""


def modules_initramfs(build: Path, kernel: linux.Kernel | None = None) -> Path:
    """build/images/linux-<version>-disk-initramfs.cpio, rebuilt when an input changed."""
    kernel = kernel or linux.newest_kernel()
    out = build / "images" / f"linux-{kernel.version}-disk-initramfs.cpio"
    inputs = [Path(__file__), Path(linux.__file__), Path(cpio.__file__), rootfs.DEFAULT_PIN,
              kernel.modules / "modules.dep"]
    if out.exists() and all(p.stat().st_mtime_ns <= out.stat().st_mtime_ns for p in inputs):
        return out
    tree = fstree.FsTree()
    with tarfile.open(rootfs.ensure(), "r:*") as tar:
        for name in BUSYBOX_FILES:
            member = tar.getmember("./" + name)
            tree.add_file(name, tar.extractfile(member).read(), 0o755)  # type: ignore[union-attr]
    tree.add_symlink("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
    for name in linux.DISK_MODULES:
        tree.add_file(f"lib/modules/{name}.ko",
                      linux.module_bytes(linux.module_path(kernel, name)), 0o644)
    tree.add_file("init", INIT_SCRIPT.format(modules=" ".join(linux.DISK_MODULES)).encode(), 0o755)
    tree.add_node("dev/console", fstree.CHARDEV, 5, 1, 0o600)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    cpio.write_file(tree, tmp)
    tmp.replace(out)
    return out
