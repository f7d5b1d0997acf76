"""An in-memory file tree: what an image will contain, built without root and without mounting.

Images are assembled here from the Alpine tarball, the project's overlay and extra files
(device nodes, test programs, ...) and then written by an image writer (cpio.py, ext4.py).
Each entry keeps its type, permission bits, owner and modification time exactly, so that
device nodes, set-uid bits and root-owned files come out right although no step runs as root.
"""
from __future__ import annotations

import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

DIR = "dir"
FILE = "file"
SYMLINK = "symlink"
HARDLINK = "hardlink"  # another name for the FILE entry at `target`
CHARDEV = "chardev"
BLOCKDEV = "blockdev"
FIFO = "fifo"

_TYPE_BITS = {
    DIR: stat.S_IFDIR,
    FILE: stat.S_IFREG,
    SYMLINK: stat.S_IFLNK,
    CHARDEV: stat.S_IFCHR,
    BLOCKDEV: stat.S_IFBLK,
    FIFO: stat.S_IFIFO,
}

# Entries added by the tools carry this time unless told otherwise, so that the same inputs
# give the same image byte for byte (and caches keyed on content stay valid).
DEFAULT_MTIME = 0


def normalize(path: str) -> str:
    """'/etc/./inittab', 'etc/inittab/' -> 'etc/inittab'; the root is ''."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            raise ValueError(f"'..' in image path {path!r}")
        parts.append(part)
    return "/".join(parts)


@dataclass
class Entry:
    path: str  # normalized, relative to the image root ('' is the root itself)
    kind: str
    mode: int = 0o644  # permission bits only (07777), the type is `kind`
    uid: int = 0
    gid: int = 0
    mtime: int = DEFAULT_MTIME
    target: str = ""  # SYMLINK: the link text; HARDLINK: the normalized path of the FILE
    rdev: tuple[int, int] = (0, 0)  # CHARDEV/BLOCKDEV: (major, minor)
    _data: bytes | Callable[[], bytes] | None = field(default=None, repr=False)

    def data(self) -> bytes:
        """The contents of a FILE (read lazily when it comes from a host file)."""
        if callable(self._data):
            self._data = self._data()
        return self._data or b""

    def type_bits(self) -> int:
        return _TYPE_BITS[self.kind]

    def st_mode(self) -> int:
        return self.type_bits() | (self.mode & 0o7777)


class FsTree:
    """Path -> Entry, in insertion order, with every parent directory present before a child."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {"": Entry("", DIR, 0o755)}

    # --- queries -------------------------------------------------------------------------
    def __contains__(self, path: str) -> bool:
        return normalize(path) in self._entries

    def get(self, path: str) -> Entry | None:
        return self._entries.get(normalize(path))

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    # --- building --------------------------------------------------------------------------
    def add(self, entry: Entry, keep_metadata: bool = False) -> Entry:
        """Adds or replaces `entry`; missing parents become root-owned 0755 directories.

        With keep_metadata, an existing entry of the same kind keeps its mode and owner (an
        overlay file replacing /etc/shadow stays 0640 root:shadow, whatever git stored).
        """
        entry.path = normalize(entry.path)
        if entry.path == "":
            if entry.kind != DIR:
                raise ValueError("the image root must be a directory")
        self._ensure_parents(entry.path)
        old = self._entries.get(entry.path)
        if old is not None:
            if old.kind == DIR and entry.kind != DIR:
                self.remove(entry.path)
            if keep_metadata and old.kind == entry.kind:
                entry.mode, entry.uid, entry.gid = old.mode, old.uid, old.gid
            if old.kind == DIR and entry.kind == DIR:
                self._entries[entry.path] = entry  # children stay: a directory merges
                return entry
        self._entries[entry.path] = entry
        return entry

    def remove(self, path: str) -> None:
        """Removes `path` and, for a directory, everything below it."""
        path = normalize(path)
        prefix = path + "/"
        for key in [k for k in self._entries if k == path or k.startswith(prefix)]:
            if key != "":
                del self._entries[key]

    def _ensure_parents(self, path: str) -> None:
        parts = path.split("/")[:-1] if path else []
        for i in range(1, len(parts) + 1):
            parent = "/".join(parts[:i])
            existing = self._entries.get(parent)
            if existing is None:
                self._entries[parent] = Entry(parent, DIR, 0o755)
            elif existing.kind != DIR:
                raise ValueError(f"'{parent}' is a {existing.kind}, not a directory, in the image")

    def add_dir(self, path: str, mode: int = 0o755, uid: int = 0, gid: int = 0) -> Entry:
        return self.add(Entry(path, DIR, mode, uid, gid))

    def add_file(self, path: str, data: bytes | Callable[[], bytes], mode: int = 0o644,
                 uid: int = 0, gid: int = 0, keep_metadata: bool = False) -> Entry:
        return self.add(Entry(path, FILE, mode, uid, gid, _data=data), keep_metadata)

    def add_host_file(self, path: str, host: Path, mode: int | None = None,
                      keep_metadata: bool = False) -> Entry:
        """A host file, read when the image is written; mode defaults to 0755/0644 by x bit."""
        host = Path(host)
        if mode is None:
            mode = 0o755 if host.stat().st_mode & 0o111 else 0o644
        return self.add_file(path, lambda: host.read_bytes(), mode, keep_metadata=keep_metadata)

    def add_symlink(self, path: str, target: str, uid: int = 0, gid: int = 0) -> Entry:
        return self.add(Entry(path, SYMLINK, 0o777, uid, gid, target=target))

    def add_hardlink(self, path: str, target: str) -> Entry:
        target = normalize(target)
        existing = self._entries.get(target)
        if existing is None or existing.kind != FILE:
            raise ValueError(f"hard link '{path}' -> '{target}': the target is not a regular file")
        return self.add(Entry(path, HARDLINK, existing.mode, existing.uid, existing.gid,
                              existing.mtime, target=target))

    def add_node(self, path: str, kind: str, major: int, minor: int, mode: int = 0o600,
                 uid: int = 0, gid: int = 0) -> Entry:
        if kind not in (CHARDEV, BLOCKDEV):
            raise ValueError(f"not a device kind: {kind}")
        return self.add(Entry(path, kind, mode, uid, gid, rdev=(major, minor)))

    def add_fifo(self, path: str, mode: int = 0o644) -> Entry:
        return self.add(Entry(path, FIFO, mode))

    # --- sources ---------------------------------------------------------------------------
    def add_tarball(self, tarball: Path) -> None:
        """Every member of a (compressed) tarball, with its metadata exactly as archived."""
        with tarfile.open(tarball, "r:*") as tar:
            for member in tar:
                self._add_tar_member(tar, member)

    def _add_tar_member(self, tar: tarfile.TarFile, m: tarfile.TarInfo) -> None:
        path = normalize(m.name)
        common = dict(mode=m.mode & 0o7777, uid=m.uid, gid=m.gid, mtime=int(m.mtime))
        if m.isdir():
            self.add(Entry(path, DIR, **common))
        elif m.isreg():
            data = tar.extractfile(m).read()  # type: ignore[union-attr]
            self.add(Entry(path, FILE, **common, _data=data))
        elif m.issym():
            self.add(Entry(path, SYMLINK, **common, target=m.linkname))
        elif m.islnk():
            self.add(Entry(path, HARDLINK, **common, target=normalize(m.linkname)))
        elif m.ischr() or m.isblk():
            kind = CHARDEV if m.ischr() else BLOCKDEV
            self.add(Entry(path, kind, **common, rdev=(m.devmajor, m.devminor)))
        elif m.isfifo():
            self.add(Entry(path, FIFO, **common))
        else:
            raise ValueError(f"{tar.name}: unsupported member type for '{m.name}'")

    def add_host_tree(self, source: Path, dest: str = "", keep_metadata: bool = True) -> None:
        """Copies a host directory (an overlay) into the image at `dest`.

        Files and directories become root-owned; a file that replaces an existing one keeps the
        existing mode and owner (keep_metadata), a new file is 0755 when executable on the host,
        else 0644. Symbolic links are copied as links.
        """
        source = Path(source)
        if not source.is_dir():
            raise ValueError(f"overlay '{source}' is not a directory")
        for host in sorted(source.rglob("*")):
            rel = host.relative_to(source).as_posix()
            path = normalize(f"{dest}/{rel}")
            if host.is_symlink():
                self.add_symlink(path, str(host.readlink()))
            elif host.is_dir():
                existing = self.get(path)
                if existing is None or existing.kind != DIR:
                    self.add_dir(path)
            elif host.is_file():
                self.add_host_file(path, host, keep_metadata=keep_metadata)
            else:
                raise ValueError(f"overlay '{host}': only files, directories and links are supported")

    def resolve_hardlinks(self) -> dict[str, list[str]]:
        """FILE path -> the HARDLINK paths naming it (only files that have links)."""
        groups: dict[str, list[str]] = {}
        for entry in self._entries.values():
            if entry.kind == HARDLINK:
                target = self._entries.get(entry.target)
                if target is None or target.kind != FILE:
                    raise ValueError(f"hard link '{entry.path}': target '{entry.target}' is not a file")
                groups.setdefault(entry.target, []).append(entry.path)
        return groups
