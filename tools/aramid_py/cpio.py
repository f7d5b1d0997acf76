"""cpio `newc` archives (what Linux and Aramid take as an initramfs), written from an FsTree.

Format [linux Documentation/driver-api/early-userspace/buffer-format.rst, man 5 cpio]: each
member is a 110-byte ASCII header ("070701" and thirteen 8-digit hex fields), the NUL-
terminated name padded to a multiple of 4 with the header, then the data padded to 4. The
archive ends with a member named "TRAILER!!!".

Hard links share an inode number and carry nlink > 1; as GNU cpio does, only the last member of
a link group carries the data (the earlier ones have size 0). Linux's unpacker creates the first
name and links the later ones to it, writing whatever data comes; GNU `cpio -i` defers the
size-0 names until the data arrives. Both end with one inode holding the data.
"""
from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aramid_py import fstree

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
_FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
           "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check")


def _pad(n: int) -> bytes:
    return b"\0" * (-n % 4)


def _header(name: str, *, ino: int, mode: int, uid: int, gid: int, nlink: int, mtime: int,
            size: int, rdev: tuple[int, int] = (0, 0)) -> bytes:
    encoded = name.encode() + b"\0"
    values = (ino, mode, uid, gid, nlink, mtime, size, 0, 0, rdev[0], rdev[1], len(encoded), 0)
    for field_name, value in zip(_FIELDS, values):
        if not 0 <= value <= 0xFFFFFFFF:
            raise ValueError(f"cpio newc: {field_name}={value} of '{name}' does not fit 32 bits")
    head = MAGIC + b"".join(b"%08X" % v for v in values) + encoded
    return head + _pad(len(head))


def write(tree: fstree.FsTree, out: BinaryIO, include_trailer: bool = True,
          first_ino: int = 1) -> None:
    """Writes every entry of `tree` but the root (parents first) as one newc archive.

    Inode numbers start at `first_ino`: members appended to an archive written earlier take
    numbers of their own, so that no two files look like links of each other.
    """
    links = tree.resolve_hardlinks()
    # Every name of a link group gets the group's inode number; the last name carries the data.
    group_of: dict[str, str] = {}
    for target, names in links.items():
        group_of[target] = target
        for name in names:
            group_of[name] = target
    last_name: dict[str, str] = {}
    inode: dict[str, int] = {}
    next_ino = first_ino
    entries = list(tree)
    for entry in entries:
        key = group_of.get(entry.path, entry.path)
        if key not in inode:
            inode[key] = next_ino
            next_ino += 1
        if entry.path in group_of:
            last_name[key] = entry.path

    for entry in entries:
        if entry.path == "":
            continue  # the root exists already on the unpacking side
        name = entry.path
        key = group_of.get(entry.path, entry.path)
        source = tree.get(key) if entry.kind == fstree.HARDLINK else entry
        assert source is not None
        data = b""
        nlink = 2 if entry.kind == fstree.DIR else 1
        if key in links:
            nlink = 1 + len(links[key])
            if last_name[key] == entry.path:
                data = source.data()
        elif entry.kind == fstree.FILE:
            data = entry.data()
        elif entry.kind == fstree.SYMLINK:
            data = entry.target.encode()
        mode = source.st_mode() if entry.kind == fstree.HARDLINK else entry.st_mode()
        out.write(_header(name, ino=inode[key], mode=mode, uid=source.uid, gid=source.gid,
                          nlink=nlink, mtime=source.mtime, size=len(data), rdev=entry.rdev))
        out.write(data)
        out.write(_pad(len(data)))
    if include_trailer:
        write_trailer(out)


def write_trailer(out: BinaryIO) -> None:
    out.write(_header(TRAILER, ino=0, mode=0, uid=0, gid=0, nlink=1, mtime=0, size=0))


def write_file(tree: fstree.FsTree, path: Path, compress: bool = False) -> None:
    """Writes the archive to `path` (gzip'd with compress), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw:
        if compress:
            # mtime=0: the same tree gives the same bytes.
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
                write(tree, gz)  # type: ignore[arg-type]
        else:
            write(tree, raw)
    tmp.replace(path)


def to_bytes(tree: fstree.FsTree) -> bytes:
    buf = io.BytesIO()
    write(tree, buf)
    return buf.getvalue()


@dataclass
class Member:
    """One member as read back (for tests and `aramid image --list`)."""
    name: str
    ino: int
    mode: int
    uid: int
    gid: int
    nlink: int
    mtime: int
    rdev: tuple[int, int]
    data: bytes


def read(blob: bytes) -> list[Member]:
    """Parses a newc archive (possibly gzip'd; several concatenated archives are read on)."""
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    members: list[Member] = []
    pos = 0
    while pos < len(blob):
        if blob[pos:pos + 4] == b"\0\0\0\0":  # padding between concatenated archives
            pos += 4
            continue
        if blob[pos:pos + 6] != MAGIC:
            raise ValueError(f"cpio: bad magic at offset {pos}")
        values = [int(blob[pos + 6 + 8 * i: pos + 14 + 8 * i], 16) for i in range(13)]
        f = dict(zip(_FIELDS, values))
        name_start = pos + 110
        name = blob[name_start:name_start + f["namesize"] - 1].decode()
        data_start = name_start + f["namesize"]
        data_start += -data_start % 4
        data = blob[data_start:data_start + f["filesize"]]
        pos = data_start + f["filesize"]
        pos += -pos % 4
        if name == TRAILER:
            continue
        members.append(Member(name, f["ino"], f["mode"], f["uid"], f["gid"], f["nlink"],
                              f["mtime"], (f["rdevmajor"], f["rdevminor"]), data))
    return members
