"""The images `run` and `exec` boot: which files go in, and where the results are kept.

Every image is the chosen root filesystem (the pinned Alpine minirootfs with the project's
overlay, a host directory, or nothing), plus the guest programs the build made
(build/guest/** -> /**, e.g. /aramid/init and /aramid/bin/hello), plus a few device nodes so
that a kernel without devtmpfs still has a console. Writing an image needs no root.
"""
from __future__ import annotations

import os
from pathlib import Path

from aramid_py import cpio, fstree, rootfs
from aramid_py.util import ROOT, Failure

OVERLAY = ROOT / "images" / "overlay"
TEST_INIT = "/aramid/init"
EXEC_ARGS = "/aramid/exec.args"
# Inode numbers of members appended after the cached body (which numbers from 1).
EXTRA_FIRST_INO = 1 << 30

# The nodes a console needs before anything mounts /dev [linux Documentation/admin-guide/devices.txt].
CONSOLE_NODES = (
    ("dev/console", fstree.CHARDEV, 5, 1, 0o600),
    ("dev/tty", fstree.CHARDEV, 5, 0, 0o666),
    ("dev/null", fstree.CHARDEV, 1, 3, 0o666),
    ("dev/zero", fstree.CHARDEV, 1, 5, 0o666),
    ("dev/ttyS0", fstree.CHARDEV, 4, 64, 0o660),
    ("dev/ttyS1", fstree.CHARDEV, 4, 65, 0o660),
)


def guest_dir(build: Path) -> Path:
    return build / "guest"


def add_console_nodes(tree: fstree.FsTree) -> None:
    for path, kind, major, minor, mode in CONSOLE_NODES:
        if path not in tree:
            tree.add_node(path, kind, major, minor, mode)


def add_guest_programs(tree: fstree.FsTree, build: Path) -> None:
    guest = guest_dir(build)
    if not (guest / TEST_INIT.lstrip("/")).exists():
        raise Failure(f"{guest}{TEST_INIT} is missing: run tools/aramid build first")
    tree.add_host_tree(guest, keep_metadata=False)


def base_tree(rootfs_spec: str) -> fstree.FsTree:
    """The root filesystem alone: 'alpine' (tarball + overlay), 'empty', or a host directory."""
    tree = fstree.FsTree()
    if rootfs_spec == "alpine":
        tree.add_tarball(rootfs.ensure())
        tree.add_host_tree(OVERLAY)
    elif rootfs_spec == "empty":
        pass
    else:
        directory = Path(rootfs_spec)
        if not directory.is_dir():
            raise Failure(f"--rootfs: '{rootfs_spec}' is neither 'alpine', 'empty' nor a directory")
        tree.add_host_tree(directory, keep_metadata=False)
    add_console_nodes(tree)
    return tree


def _inputs(rootfs_spec: str, build: Path) -> list[Path]:
    """Every file whose change must rebuild the cached image."""
    paths: list[Path] = [Path(__file__), Path(fstree.__file__), Path(cpio.__file__),
                         rootfs.DEFAULT_PIN]
    roots = [guest_dir(build)]
    if rootfs_spec == "alpine":
        roots.append(OVERLAY)
    elif rootfs_spec != "empty":
        roots.append(Path(rootfs_spec))
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            paths.append(Path(dirpath))
            paths.extend(Path(dirpath) / name for name in filenames)
    return paths


def _stale(output: Path, inputs: list[Path]) -> bool:
    if not output.exists():
        return True
    built = output.stat().st_mtime_ns
    return any(p.lstat().st_mtime_ns > built for p in inputs if os.path.lexists(p))


def _cache_name(rootfs_spec: str) -> str:
    if rootfs_spec in ("alpine", "empty"):
        return rootfs_spec
    return "dir-" + "".join(c if c.isalnum() else "_" for c in str(Path(rootfs_spec).resolve()))


def image_tree(rootfs_spec: str, build: Path) -> fstree.FsTree:
    tree = base_tree(rootfs_spec)
    add_guest_programs(tree, build)
    return tree


def cached_base(rootfs_spec: str, build: Path) -> Path:
    """build/images/<rootfs>.cpio-body: the image without its trailer, rebuilt when stale."""
    out_dir = build / "images"
    out_dir.mkdir(parents=True, exist_ok=True)
    body = out_dir / f"{_cache_name(rootfs_spec)}.cpio-body"
    if _stale(body, _inputs(rootfs_spec, build)):
        tree = image_tree(rootfs_spec, build)
        tmp = body.with_name(body.name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as out:
            cpio.write(tree, out, include_trailer=False)
        tmp.replace(body)
    return body


def initramfs(rootfs_spec: str, build: Path, output: Path,
              extra: fstree.FsTree | None = None) -> Path:
    """Writes the image for `rootfs_spec` plus the entries of `extra` to `output` (uncompressed).

    The members of `extra` come after the cached body, so they win where names repeat (Linux
    and Aramid unpack in order, a later member replacing an earlier one).
    """
    body = cached_base(rootfs_spec, build)
    tmp = output.with_name(output.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as out, open(body, "rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        if extra is not None:
            extra_entries = fstree.FsTree()
            for entry in extra:
                if entry.path:
                    extra_entries.add(entry)
            cpio.write(extra_entries, out, include_trailer=False, first_ino=EXTRA_FIRST_INO)
        cpio.write_trailer(out)
    tmp.replace(output)
    return output


def exec_args_tree(words: list[str]) -> fstree.FsTree:
    """The file the test init reads its program and options from (NUL-separated words)."""
    extra = fstree.FsTree()
    encoded = b"".join(w.encode() + b"\0" for w in words)
    if any("\0" in w for w in words):
        raise Failure("an argument contains a NUL byte, which no exec can pass")
    extra.add_file(EXEC_ARGS, encoded, 0o644)
    return extra
