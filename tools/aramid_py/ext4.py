"""ext4 disk images from an FsTree, without root and without mounting.

`mke2fs -d DIR` copies a directory into a new filesystem [man 8 mke2fs]; it takes owners,
modes and device nodes from DIR, which an ordinary user cannot create. So the tree is staged
with the content only (regular files, hard links, symbolic links, directories), and a
`debugfs -w` script then sets every inode's owner and mode and creates the device nodes and
FIFOs [man 8 debugfs: set_inode_field, mknod]. `e2fsck -fn` accepts the result.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from aramid_py import fstree
from aramid_py.util import Failure, require_tool


def _stage(tree: fstree.FsTree, root: Path) -> None:
    for entry in tree:
        if not entry.path:
            continue
        host = root / entry.path
        if entry.kind == fstree.DIR:
            host.mkdir(exist_ok=True)
        elif entry.kind == fstree.FILE:
            host.write_bytes(entry.data())
        elif entry.kind == fstree.HARDLINK:
            os.link(root / entry.target, host)
        elif entry.kind == fstree.SYMLINK:
            os.symlink(entry.target, host)
        # Devices and FIFOs are made by debugfs.
        if entry.kind in (fstree.FILE, fstree.SYMLINK):
            os.utime(host, (entry.mtime, entry.mtime), follow_symlinks=False)
    # Directory times last: creating their children changed them.
    for entry in tree:
        if entry.path and entry.kind == fstree.DIR:
            os.utime(root / entry.path, (entry.mtime, entry.mtime))


def _quote(path: str) -> str:
    if any(c in path for c in '"\n'):
        raise Failure(f"ext4: cannot name '{path}' in a debugfs script")
    return f'"/{path}"'


def _debugfs_script(tree: fstree.FsTree) -> str:
    lines = []
    for entry in tree:
        if entry.kind == fstree.HARDLINK:
            continue  # shares its target's inode, which is set below
        name = _quote(entry.path) if entry.path else "/"
        if entry.kind in (fstree.CHARDEV, fstree.BLOCKDEV, fstree.FIFO):
            # debugfs's mknod takes a name in the current directory, not a path.
            parent, _, base = entry.path.rpartition("/")
            node = {fstree.CHARDEV: "c", fstree.BLOCKDEV: "b", fstree.FIFO: "p"}[entry.kind]
            if entry.kind != fstree.FIFO:
                node += f" {entry.rdev[0]} {entry.rdev[1]}"
            lines += [f"cd {_quote(parent) if parent else '/'}",
                      f'mknod "{base}" {node}', "cd /"]
        lines += [f"sif {name} mode 0{entry.st_mode():o}",
                  f"sif {name} uid {entry.uid}",
                  f"sif {name} gid {entry.gid}"]
        if entry.kind in (fstree.CHARDEV, fstree.BLOCKDEV, fstree.FIFO):
            lines.append(f"sif {name} mtime {entry.mtime}")
    return "\n".join(lines) + "\n"


def write(tree: fstree.FsTree, image: Path, size: str = "256M", label: str = "aramid") -> Path:
    """Writes `tree` as a new ext4 filesystem image of `size` (mke2fs syntax: 64M, 1G)."""
    mke2fs = require_tool("mke2fs", "e2fsprogs")
    debugfs = require_tool("debugfs", "e2fsprogs")
    image = Path(image)
    staging = Path(tempfile.mkdtemp(prefix="ext4-stage-"))
    tmp = image.with_name(image.name + f".tmp{os.getpid()}")
    try:
        _stage(tree, staging)
        tmp.unlink(missing_ok=True)
        env = {**os.environ, "E2FSPROGS_FAKE_TIME": "0"}
        result = subprocess.run(
            [mke2fs, "-q", "-F", "-t", "ext4", "-L", label, "-E", "root_owner=0:0",
             "-d", str(staging), str(tmp), size], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise Failure(f"mke2fs failed: {result.stderr.strip()}")
        script = staging.parent / (staging.name + ".debugfs")
        script.write_text(_debugfs_script(tree))
        result = subprocess.run([debugfs, "-w", "-f", str(script), str(tmp)],
                                capture_output=True, text=True)
        script.unlink()
        # debugfs reports failures on stderr but exits 0: any line not echoing a command fails.
        errors = [line for line in result.stderr.splitlines()
                  if line.strip() and not line.startswith("debugfs ")]
        if result.returncode != 0 or errors:
            raise Failure("debugfs failed: " + "; ".join(errors[:5]))
        tmp.replace(image)
        return image
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        tmp.unlink(missing_ok=True)
