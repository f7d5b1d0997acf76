"""Build an initramfs (cpio newc) or an ext4 disk image by hand, from the parts run and exec use.

  tools/aramid image initramfs -o alpine.cpio              Alpine + overlay + test programs
  tools/aramid image initramfs --rootfs empty --gzip -o t.cpio.gz --file a.out:/init:755
  tools/aramid image ext4 -o disk.img --size 256M
  tools/aramid image list alpine.cpio                      like `cpio -tv`

Extra entries (repeatable): --file HOST:GUEST[:MODE], --dir GUEST[:MODE],
--symlink GUEST:TARGET, --node GUEST:c|b:MAJOR:MINOR[:MODE]. Modes are octal; owners are root.
No step needs root or mounts anything.
"""
from __future__ import annotations

import argparse
import stat
from pathlib import Path

from aramid_py import cpio, ext4, fstree, images
from aramid_py.util import Failure, build_dir


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("initramfs", "ext4", "list"))
    parser.add_argument("input", nargs="?", type=Path, help="the archive to list (list only)")
    parser.add_argument("-o", "--output", type=Path, help="the image file to write")
    parser.add_argument("--rootfs", default="alpine", help="alpine, empty or a host directory")
    parser.add_argument("--no-programs", action="store_true",
                        help="leave out build/guest (the test init and test programs)")
    parser.add_argument("--gzip", action="store_true", help="compress the initramfs")
    parser.add_argument("--size", default="256M", help="ext4 image size (default 256M)")
    parser.add_argument("--file", action="append", default=[], metavar="HOST:GUEST[:MODE]")
    parser.add_argument("--dir", action="append", default=[], metavar="GUEST[:MODE]")
    parser.add_argument("--symlink", action="append", default=[], metavar="GUEST:TARGET")
    parser.add_argument("--node", action="append", default=[], metavar="GUEST:c|b:MAJ:MIN[:MODE]")


def _mode(text: str, default: int) -> int:
    try:
        return int(text, 8) if text else default
    except ValueError:
        raise Failure(f"'{text}' is not an octal mode", code=2) from None


def add_extras(tree: fstree.FsTree, args: argparse.Namespace) -> None:
    for spec in args.dir:
        path, _, mode = spec.partition(":")
        tree.add_dir(path, _mode(mode, 0o755))
    for spec in args.file:
        host, _, rest = spec.partition(":")
        guest, _, mode = rest.partition(":")
        if not guest or not Path(host).is_file():
            raise Failure(f"--file {spec}: expected HOST:GUEST[:MODE] with an existing HOST file", code=2)
        tree.add_host_file(guest, Path(host), _mode(mode, 0) or None)
    for spec in args.symlink:
        guest, _, target = spec.partition(":")
        if not target:
            raise Failure(f"--symlink {spec}: expected GUEST:TARGET", code=2)
        tree.add_symlink(guest, target)
    for spec in args.node:
        parts = spec.split(":")
        if len(parts) not in (4, 5) or parts[1] not in ("c", "b"):
            raise Failure(f"--node {spec}: expected GUEST:c|b:MAJOR:MINOR[:MODE]", code=2)
        kind = fstree.CHARDEV if parts[1] == "c" else fstree.BLOCKDEV
        tree.add_node(parts[0], kind, int(parts[2]), int(parts[3]),
                      _mode(parts[4] if len(parts) == 5 else "", 0o600))


def list_archive(path: Path) -> None:
    for m in cpio.read(path.read_bytes()):
        extra = f" {m.rdev[0]},{m.rdev[1]}" if stat.S_ISCHR(m.mode) or stat.S_ISBLK(m.mode) else ""
        link = f" -> {m.data.decode(errors='replace')}" if stat.S_ISLNK(m.mode) else ""
        print(f"{stat.filemode(m.mode)} {m.uid:>5} {m.gid:>5} {len(m.data):>9}{extra} {m.name}{link}")


def run(args: argparse.Namespace) -> int:
    if args.kind == "list":
        if not args.input:
            raise Failure("image list: which archive?", code=2)
        list_archive(args.input)
        return 0
    if not args.output:
        raise Failure("-o OUTPUT is required", code=2)
    tree = images.base_tree(args.rootfs)
    if not args.no_programs:
        images.add_guest_programs(tree, build_dir())
    add_extras(tree, args)
    if args.kind == "initramfs":
        cpio.write_file(tree, args.output, compress=args.gzip)
    else:
        ext4.write(tree, args.output, args.size)
    print(args.output)
    return 0
