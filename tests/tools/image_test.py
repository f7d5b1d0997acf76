"""The images run and exec boot: Alpine + the project's overlay + test init + device nodes."""
import stat
import tempfile
import unittest
from pathlib import Path

import tooltest
from aramid_py import cpio, images


def members_of(rootfs_spec, extra=None):
    with tempfile.TemporaryDirectory() as tmp:
        out = images.initramfs(rootfs_spec, tooltest.BUILD, Path(tmp) / "i.cpio", extra)
        return {m.name: m for m in cpio.read(out.read_bytes())}


class AlpineImage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = members_of("alpine", images.exec_args_tree(["--", "hello", "a b"]))

    def text(self, name):
        return self.m[name].data.decode()

    def test_busybox_and_the_musl_loader_from_the_minirootfs(self):
        self.assertGreater(len(self.m["bin/busybox"].data), 500_000)
        self.assertIn("lib/ld-musl-x86_64.so.1", self.m)
        self.assertEqual(self.m["sbin/init"].data, b"/bin/busybox")  # a symlink

    def test_inittab_runs_sysinit_and_a_getty_on_ttyS0(self):
        inittab = self.text("etc/inittab")
        self.assertIn("::sysinit:/etc/init.d/aramid-sysinit", inittab)
        self.assertIn("ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100", inittab)
        self.assertRegex(inittab, r"(?m)^::ctrlaltdel:")
        self.assertRegex(inittab, r"(?m)^::shutdown:")
        self.assertNotIn("openrc", inittab)

    def test_sysinit_mounts_the_pseudo_filesystems_and_sets_the_hostname(self):
        script = self.m["etc/init.d/aramid-sysinit"]
        self.assertEqual(stat.S_IMODE(script.mode), 0o755)
        body = script.data.decode()
        for fs in ("proc", "sysfs", "devtmpfs", "devpts", "/tmp", "/run"):
            self.assertIn(fs, body)
        self.assertIn("hostname -F /etc/hostname", body)

    def test_root_has_an_empty_password_and_may_log_in_on_ttyS0(self):
        shadow = self.m["etc/shadow"]
        self.assertTrue(shadow.data.startswith(b"root::"))
        # The overlay's file keeps the minirootfs's mode and owner, not git's 0644 root:root.
        self.assertEqual((stat.S_IMODE(shadow.mode), shadow.gid), (0o640, 42))
        self.assertIn("ttyS0", self.text("etc/securetty").split())

    def test_hostname_and_fstab(self):
        self.assertEqual(self.text("etc/hostname").strip(), "aramid")
        self.assertRegex(self.text("etc/fstab"), r"(?m)^proc\s+/proc\s+proc")

    def test_console_exists_before_anything_mounts_dev(self):
        console = self.m["dev/console"]
        self.assertEqual(stat.S_IFMT(console.mode), stat.S_IFCHR)
        self.assertEqual(console.rdev, (5, 1))
        self.assertEqual(self.m["dev/ttyS0"].rdev, (4, 64))

    def test_test_init_programs_and_arguments_are_in(self):
        self.assertTrue(self.m["aramid/init"].data.startswith(b"\x7fELF"))
        self.assertTrue(self.m["aramid/bin/hello"].data.startswith(b"\x7fELF"))
        self.assertEqual(self.m["aramid/exec.args"].data, b"--\0hello\0a b\0")

    def test_every_parent_comes_before_its_child(self):
        seen = set()
        for name in self.m:  # dicts keep archive order
            parent = name.rsplit("/", 1)[0] if "/" in name else ""
            self.assertTrue(parent == "" or parent in seen, f"{name} before {parent}")
            seen.add(name)


class EmptyImage(unittest.TestCase):
    def test_empty_rootfs_has_only_programs_and_nodes(self):
        m = members_of("empty")
        self.assertIn("aramid/init", m)
        self.assertIn("dev/console", m)
        self.assertNotIn("bin/busybox", m)


if __name__ == "__main__":
    unittest.main()
