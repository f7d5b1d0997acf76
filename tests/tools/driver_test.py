"""The bash entry point and the commands' contract: help everywhere, honest 'not built yet'."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import tooltest

ARAMID = str(tooltest.ROOT / "tools" / "aramid")
COMMANDS = ("setup", "build", "test", "run", "exec", "sim", "bench", "iso", "lint", "image")


def aramid(*args, env=None):
    """Through the bash entry point (which checks the packages first)."""
    return subprocess.run([ARAMID, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def python_side(*args, env=None):
    """Straight to the Python package: what the entry runs once the packages are there."""
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(tooltest.ROOT / "tools")}
    return subprocess.run([sys.executable, "-m", "aramid_py", *args], capture_output=True,
                          text=True, timeout=120, env=environment)


class Driver(unittest.TestCase):
    def test_top_level_help_lists_every_command(self):
        result = aramid("--help")
        self.assertEqual(result.returncode, 0)
        for command in COMMANDS:
            self.assertRegex(result.stdout, rf"(?m)^  {command} ")

    def test_every_command_explains_itself(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                result = python_side(command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(f"tools/aramid {command}", result.stdout)
                self.assertGreater(len(result.stdout.splitlines()), 3)

    def test_unknown_command_fails(self):
        result = aramid("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command", result.stderr)

    def test_packages_are_quiet_when_installed(self):
        # Every package is installed on a machine that built this tree: setup prints nothing.
        result = aramid("setup")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout + result.stderr, "")

    def test_package_list_is_what_the_entry_reads(self):
        names = subprocess.run(
            ["bash", "-c", f"source <(sed -n '/^wanted_packages()/,/^}}/p' {ARAMID}); "
             f"ROOT={tooltest.ROOT} wanted_packages"], capture_output=True, text=True).stdout.split()
        for needed in ("qemu-system-x86", "musl-tools", "linux-image-amd64", "cpio", "e2fsprogs",
                       "python3", "cmake", "ninja-build"):
            self.assertIn(needed, names)
        self.assertFalse([n for n in names if "#" in n or " " in n])

    def test_exec_without_a_program_is_a_usage_error(self):
        result = python_side("exec", "--no-build", "--kernel", "linux")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no program", result.stderr)

    def test_iso_without_mkiso_says_so(self):
        if (tooltest.ROOT / "tools" / "mkiso.sh").exists():
            self.assertNotIn("not built yet", python_side("iso", "--help").stdout)
            return
        result = python_side("iso", "--no-build")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mkiso.sh", result.stderr)

    def test_sim_without_a_runner_says_not_built_yet(self):
        with tempfile.TemporaryDirectory() as empty_build:
            result = python_side("sim", "--no-build", "--", "hello", env={"ARAMID_BUILD_DIR": empty_build})
        self.assertEqual(result.returncode, 2)
        self.assertIn("not built yet", result.stderr)

    def test_bench_without_binaries_says_not_built_yet(self):
        with tempfile.TemporaryDirectory() as empty_build:
            result = python_side("bench", "--no-build", env={"ARAMID_BUILD_DIR": empty_build})
        self.assertEqual(result.returncode, 2)
        self.assertIn("not built yet", result.stderr)

    def test_image_builds_an_initramfs_by_hand(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "t.cpio.gz"
            result = python_side("image", "initramfs", "--rootfs", "empty", "--gzip", "-o", str(out),
                            "--node", "dev/kmsg:c:1:11:644", "--symlink", "init:/aramid/init",
                            "--file", f"{ARAMID}:/sbin/aramid-driver:700")
            self.assertEqual(result.returncode, 0, result.stderr)
            listing = python_side("image", "list", str(out)).stdout
        self.assertRegex(listing, r"crw-r--r-- +0 +0 +0 1,11 dev/kmsg")
        self.assertIn("init -> /aramid/init", listing)
        self.assertRegex(listing, r"-rwx------ .* sbin/aramid-driver")
        self.assertIn("aramid/init", listing)


if __name__ == "__main__":
    unittest.main()
