#!/usr/bin/env python3
"""Unit tests of run_contract.py's protocol parsing and verdict logic (no kernels needed)."""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_contract  # noqa: E402


def framed(name: str, body: bytes, status: str) -> bytes:
    return (f"@@BEGIN {name}\n@@OUTPUT {name} {len(body)}\n".encode() + body +
            f"\n@@END {name} {status}\n".encode())


class ParseBatchTest(unittest.TestCase):
    def test_complete_batch(self):
        stream = (b"@@CONTRACT-BATCH 2\n" + framed("a", b"line 1\n", "exit 0") +
                  framed("b", b"", "signal SIGSEGV") + b"@@CONTRACT-DONE\n")
        done, current, finished, notes = run_contract.parse_batch(stream)
        self.assertTrue(finished)
        self.assertIsNone(current)
        self.assertEqual(done["a"], b"line 1\n\n[exit 0]\n")
        self.assertEqual(done["b"], b"\n[signal SIGSEGV]\n")
        self.assertEqual(notes, [])

    def test_output_containing_markers_is_taken_by_length(self):
        body = b"@@END a exit 0\n@@BEGIN z\n"
        done, _, finished, _ = run_contract.parse_batch(framed("a", body, "exit 3") +
                                                       b"@@CONTRACT-DONE\n")
        self.assertTrue(finished)
        self.assertEqual(done["a"], body + b"\n[exit 3]\n")

    def test_crash_in_the_middle_names_the_program(self):
        stream = framed("a", b"ok\n", "exit 0") + b"@@BEGIN b\n@@OUTPUT b 100\npartial"
        done, current, finished, _ = run_contract.parse_batch(stream)
        self.assertFalse(finished)
        self.assertEqual(current, "b")
        self.assertEqual(list(done), ["a"])

    def test_kernel_noise_and_notes_between_programs(self):
        stream = (b"random console noise\n@@NOTE mount devpts: ENODEV\n" +
                  framed("a", b"x", "exit 0") + b"@@CONTRACT-DONE\n")
        done, _, finished, notes = run_contract.parse_batch(stream)
        self.assertTrue(finished)
        self.assertIn("a", done)
        self.assertEqual(notes, ["@@NOTE mount devpts: ENODEV"])


class KnownDivergencesTest(unittest.TestCase):
    def test_wildcard_and_exact(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "known.txt"
            path.write_text("# comment\n\nfoo aramid a reason\nbar * any kernel\n")
            known = run_contract.load_known(path)
        self.assertEqual(run_contract.is_known(known, "foo", "aramid"), "a reason")
        self.assertIsNone(run_contract.is_known(known, "foo", "linux"))
        self.assertEqual(run_contract.is_known(known, "bar", "host"), "any kernel")

    def test_malformed_line_is_an_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "known.txt"
            path.write_text("foo aramid\n")
            with self.assertRaises(SystemExit):
                run_contract.load_known(path)

    def test_the_checked_in_file_parses(self):
        run_contract.load_known(run_contract.ROOT / "tests/contract/known-divergences.txt")


if __name__ == "__main__":
    unittest.main()
