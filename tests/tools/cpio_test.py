"""The newc writer: archives GNU cpio reads back exactly (names, types, modes, owners, links)."""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

import tooltest  # noqa: F401  (sets the import path)
from aramid_py import cpio, fstree


def sample_tree() -> fstree.FsTree:
    tree = fstree.FsTree()
    tree.add_dir("etc", 0o755)
    tree.add_file("etc/hostname", b"aramid\n", 0o644)
    tree.add_file("etc/shadow", b"root::0:::::\n", 0o640, uid=0, gid=42)
    tree.add_file("bin/tool", b"\x7fELF" + bytes(range(256)) * 3, 0o4755)  # set-uid survives
    tree.add_file("empty", b"", 0o600)
    tree.add_file("odd-size", b"abc", 0o644)  # exercises the 4-byte padding
    tree.add_symlink("bin/sh", "/bin/tool")
    tree.add_hardlink("bin/tool-link", "bin/tool")
    tree.add_hardlink("bin/tool-link2", "bin/tool")
    tree.add_node("dev/console", fstree.CHARDEV, 5, 1, 0o600)
    tree.add_node("dev/vda", fstree.BLOCKDEV, 254, 0, 0o660, gid=6)
    tree.add_fifo("run/fifo", 0o644)
    tree.add_dir("tmp", 0o1777)
    return tree


class CpioRoundTrip(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cpio-test-"))
        self.archive = self.dir / "image.cpio"
        cpio.write_file(sample_tree(), self.archive)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_gnu_cpio_lists_every_member_with_its_type_and_owner(self):
        listing = subprocess.run(["cpio", "-tv", "--numeric-uid-gid"], input=self.archive.read_bytes(),
                                 capture_output=True, check=True).stdout.decode()
        rows = {line.split()[-1] if "->" not in line else line.split()[-3]: line
                for line in listing.splitlines()}
        self.assertRegex(rows["dev/console"], r"^crw------- +1 0 +0 +5, +1 ")
        self.assertRegex(rows["dev/vda"], r"^brw-rw---- +1 0 +6 +254, +0 ")
        self.assertRegex(rows["etc/shadow"], r"^-rw-r----- +1 0 +42 ")
        self.assertRegex(rows["bin/tool"], r"^-rwsr-xr-x +3 ")
        self.assertRegex(rows["run/fifo"], r"^prw-r--r-- ")
        self.assertRegex(rows["tmp"], r"^drwxrwxrwt ")
        self.assertIn("bin/sh -> /bin/tool", listing)
        self.assertNotIn("TRAILER", listing)
        self.assertEqual(len(rows), 16)  # 13 added + the parents etc/.. made implicitly: bin, dev, run

    def test_gnu_cpio_extracts_files_links_and_modes(self):
        out = self.dir / "out"
        out.mkdir()
        # Device nodes need root to create; extract everything else (cpio takes patterns).
        subprocess.run(["cpio", "-id", "--quiet", "--no-absolute-filenames",
                        "etc/*", "bin/*", "empty", "odd-size", "tmp"],
                       input=self.archive.read_bytes(), cwd=out, check=True)
        self.assertEqual((out / "etc/hostname").read_bytes(), b"aramid\n")
        self.assertEqual((out / "odd-size").read_bytes(), b"abc")
        self.assertEqual((out / "empty").read_bytes(), b"")
        self.assertEqual(os.readlink(out / "bin/sh"), "/bin/tool")
        tool = (out / "bin/tool").stat()
        self.assertEqual((out / "bin/tool").read_bytes(), b"\x7fELF" + bytes(range(256)) * 3)
        self.assertEqual(stat.S_IMODE(tool.st_mode) & 0o777, 0o755)
        # The three names are one inode holding the data.
        self.assertEqual(tool.st_nlink, 3)
        self.assertEqual((out / "bin/tool-link").stat().st_ino, tool.st_ino)
        self.assertEqual((out / "bin/tool-link2").stat().st_ino, tool.st_ino)
        self.assertEqual(stat.S_IMODE((out / "etc/shadow").stat().st_mode), 0o640)
        self.assertEqual(stat.S_IMODE((out / "tmp").stat().st_mode), 0o1777)

    def test_reader_sees_what_the_writer_wrote(self):
        members = {m.name: m for m in cpio.read(self.archive.read_bytes())}
        self.assertEqual(members["dev/console"].rdev, (5, 1))
        self.assertEqual(stat.S_IFMT(members["dev/console"].mode), stat.S_IFCHR)
        self.assertEqual(members["etc/shadow"].gid, 42)
        link_group = [members[n] for n in ("bin/tool", "bin/tool-link", "bin/tool-link2")]
        self.assertEqual(len({m.ino for m in link_group}), 1)
        # Only the last name of the group carries the data (GNU cpio's convention).
        self.assertEqual([len(m.data) for m in link_group], [0, 0, 4 + 768])
        self.assertEqual(members["bin/sh"].data, b"/bin/tool")

    def test_gzip_archive_is_the_same_archive(self):
        gz = self.dir / "image.cpio.gz"
        cpio.write_file(sample_tree(), gz, compress=True)
        self.assertEqual(gz.read_bytes()[:2], b"\x1f\x8b")
        plain = subprocess.run(["gzip", "-dc", str(gz)], capture_output=True, check=True).stdout
        self.assertEqual(plain, self.archive.read_bytes())

    def test_same_tree_gives_the_same_bytes(self):
        self.assertEqual(cpio.to_bytes(sample_tree()), cpio.to_bytes(sample_tree()))

    def test_header_fields_are_8_hex_digits_and_names_padded(self):
        blob = cpio.to_bytes(sample_tree())
        self.assertEqual(blob[:6], b"070701")
        self.assertEqual(len(blob) % 4, 0)
        self.assertTrue(blob.rstrip(b"\0").endswith(b"TRAILER!!!"))


class FsTreeRules(unittest.TestCase):
    def test_replacing_a_file_can_keep_its_owner_and_mode(self):
        tree = fstree.FsTree()
        tree.add_file("etc/shadow", b"old", 0o640, gid=42)
        tree.add_file("etc/shadow", b"new", 0o644, keep_metadata=True)
        entry = tree.get("/etc/shadow")
        self.assertEqual((entry.mode, entry.gid, entry.data()), (0o640, 42, b"new"))

    def test_a_directory_merges_and_a_file_replacing_it_drops_its_children(self):
        tree = fstree.FsTree()
        tree.add_file("a/b", b"x")
        tree.add_dir("a", 0o700)
        self.assertIn("a/b", tree)
        self.assertEqual(tree.get("a").mode, 0o700)
        tree.add_file("a", b"file now")
        self.assertNotIn("a/b", tree)

    def test_paths_are_normalized_and_dotdot_refused(self):
        tree = fstree.FsTree()
        tree.add_file("/./x//y/", b"")
        self.assertIn("x/y", tree)
        with self.assertRaises(ValueError):
            tree.add_file("x/../../etc/passwd", b"")

    def test_hard_link_to_a_missing_file_is_refused(self):
        with self.assertRaises(ValueError):
            fstree.FsTree().add_hardlink("a", "missing")

    def test_too_large_a_value_is_refused_not_truncated(self):
        tree = fstree.FsTree()
        tree.add_file("x", b"", uid=1 << 33)
        with self.assertRaises(ValueError):
            cpio.to_bytes(tree)


if __name__ == "__main__":
    unittest.main()
