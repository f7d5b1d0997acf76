"""The ext4 builder: mke2fs -d plus debugfs fix-ups give exact owners, modes and device nodes."""
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import tooltest  # noqa: F401
from aramid_py import ext4
from cpio_test import sample_tree


def debugfs(image: Path, request: str) -> str:
    return subprocess.run(["debugfs", "-R", request, str(image)], capture_output=True,
                          text=True, check=True).stdout


class Ext4Image(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="ext4-test-"))
        cls.image = ext4.write(sample_tree(), cls.dir / "disk.img", "16M")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_e2fsck_finds_nothing_wrong(self):
        result = subprocess.run(["e2fsck", "-fn", str(self.image)], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_contents(self):
        self.assertEqual(debugfs(self.image, "cat /etc/hostname"), "aramid\n")
        self.assertEqual(debugfs(self.image, "cat /odd-size"), "abc")

    def test_owner_mode_and_set_uid_bits(self):
        shadow = debugfs(self.image, "stat /etc/shadow")
        self.assertRegex(shadow, r"Mode: +0640")
        self.assertRegex(shadow, r"User: +0 +Group: +42 ")
        self.assertRegex(debugfs(self.image, "stat /bin/tool"), r"Mode: +04755")
        self.assertRegex(debugfs(self.image, "stat /tmp"), r"Mode: +01777")

    def test_device_nodes_fifo_and_links(self):
        listing = debugfs(self.image, "ls -l /dev")
        self.assertRegex(listing, r"20600 \(\d\) +0 +0 .* console")
        self.assertRegex(listing, r"60660 \(\d\) +0 +6 .* vda")
        self.assertIn("Type: character special", debugfs(self.image, "stat /dev/console"))
        self.assertRegex(debugfs(self.image, "stat /dev/console"), r"Device major/minor number: 05:01")
        self.assertIn("Type: FIFO", debugfs(self.image, "stat /run/fifo"))
        self.assertIn("Fast link dest: \"/bin/tool\"", debugfs(self.image, "stat /bin/sh"))
        stats = [debugfs(self.image, f"stat {p}") for p in ("/bin/tool", "/bin/tool-link")]
        inodes = {s.split()[1] for s in stats}  # "Inode: N ..."
        self.assertEqual(len(inodes), 1)  # one inode, two names
        self.assertIn("Links: 3", stats[0])


if __name__ == "__main__":
    unittest.main()
