"""The rootfs pin: the right file is accepted, a corrupted or missing one is refused clearly."""
import shutil
import tempfile
import unittest
from pathlib import Path

import tooltest  # noqa: F401
from aramid_py import rootfs
from aramid_py.util import Failure, cache_dir


class PinTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pin = rootfs.read_pin()
        cls.real = cache_dir() / cls.pin.file
        if not cls.real.exists():
            raise AssertionError(
                f"{cls.real} is missing: these tests need the pinned minirootfs in $ARAMID_CACHE "
                "(.ci/run seeds it from ../shared/rootfs)")

    def setUp(self):
        self.cache = Path(tempfile.mkdtemp(prefix="rootfs-test-"))

    def tearDown(self):
        shutil.rmtree(self.cache)

    def test_pin_names_alpine_3_20_3_x86_64(self):
        self.assertEqual((self.pin.version, self.pin.arch), ("3.20.3", "x86_64"))
        self.assertIn("/v3.20/releases/x86_64/", self.pin.url)
        self.assertTrue(self.pin.url.endswith(self.pin.file))

    def test_pin_matches_the_shared_checksum_file(self):
        shared = tooltest.ROOT.parent / "shared" / "rootfs" / (self.pin.file + ".sha512")
        if shared.exists():  # the workplace's copy; a clone elsewhere checks the cache file only
            self.assertEqual(shared.read_text().split()[0], self.pin.sha512)
        self.assertEqual(rootfs.sha512_of(self.real), self.pin.sha512)

    def test_verified_copy_is_accepted(self):
        shutil.copy(self.real, self.cache / self.pin.file)
        self.assertEqual(rootfs.ensure(self.pin, self.cache, allow_download=False),
                         self.cache / self.pin.file)

    def test_one_flipped_byte_is_caught(self):
        data = bytearray(self.real.read_bytes())
        data[len(data) // 2] ^= 0x01
        (self.cache / self.pin.file).write_bytes(bytes(data))
        with self.assertRaisesRegex(Failure, "SHA-512"):
            rootfs.ensure(self.pin, self.cache, allow_download=False)

    def test_truncated_file_is_caught(self):
        (self.cache / self.pin.file).write_bytes(self.real.read_bytes()[:1000])
        with self.assertRaisesRegex(Failure, "corrupt"):
            rootfs.ensure(self.pin, self.cache)

    def test_missing_file_without_download_says_where_it_looked(self):
        with self.assertRaisesRegex(Failure, str(self.cache)):
            rootfs.ensure(self.pin, self.cache, allow_download=False)

    def test_failed_download_is_a_clear_message_and_leaves_nothing(self):
        bad = rootfs.Pin(**{**self.pin.__dict__, "url": f"file://{self.cache}/nowhere.tar.gz"})
        with self.assertRaisesRegex(Failure, "cannot be downloaded"):
            rootfs.ensure(bad, self.cache)
        self.assertEqual(list(self.cache.iterdir()), [])

    def test_download_is_verified_before_it_is_kept(self):
        source = self.cache / "mirror"
        source.mkdir()
        good = rootfs.Pin(**{**self.pin.__dict__, "url": f"file://{self.real}"})
        got = rootfs.ensure(good, self.cache / "c")
        self.assertEqual(rootfs.sha512_of(got), self.pin.sha512)
        corrupt = source / self.pin.file
        corrupt.write_bytes(b"not alpine")
        bad = rootfs.Pin(**{**self.pin.__dict__, "url": f"file://{corrupt}"})
        with self.assertRaisesRegex(Failure, "SHA-512"):
            rootfs.ensure(bad, self.cache / "d")
        self.assertFalse((self.cache / "d" / self.pin.file).exists())

    def test_malformed_pin_is_refused(self):
        pin_file = self.cache / "bad.pin"
        pin_file.write_text("version = 1\nsha512 = 1234\n")
        with self.assertRaises(Failure):
            rootfs.read_pin(pin_file)


if __name__ == "__main__":
    unittest.main()
