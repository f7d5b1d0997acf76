#!/usr/bin/env python3
"""Unit tests of tools/aramid_py/bench_vs_linux.py: result lines, the summary (medians, ratios,
geometric mean, failures) and the SVG chart, without booting anything."""
import argparse
import math
import sys
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from aramid_py import bench_vs_linux as bvl  # noqa: E402


def results(linux: dict, aramid: dict, aramid_fail: dict | None = None):
    res = {k: bvl.KernelResults(k) for k in bvl.KERNEL_NAMES}
    res["linux"].rounds = linux
    res["aramid"].rounds = aramid
    res["aramid"].failures = aramid_fail or {}
    return res


class LinesTest(unittest.TestCase):
    def test_result_line(self):
        # docs/testing.md's contract: `BENCH <name> <ns per op>`, nothing else on the line.
        m = bvl.RESULT_RE.match("BENCH clock_gettime 36.5")
        self.assertEqual((m.group(1), float(m.group(2))), ("clock_gettime", 36.5))
        self.assertEqual(float(bvl.RESULT_RE.match("BENCH x 1.5e3").group(2)), 1500.0)
        self.assertIsNone(bvl.RESULT_RE.match("BENCH x 1 2"))
        self.assertIsNone(bvl.RESULT_RE.match("BENCH-FAIL x y"))
        d = bvl.DETAIL_RE.match("BENCH-DETAIL clock_gettime min=35.0 max=40.1 iters=100 reps=5 note=vdso")
        self.assertEqual((d.group(1), d.group(2)), ("clock_gettime", "vdso"))
        self.assertIsNone(bvl.DETAIL_RE.match("BENCH-DETAIL getpid min=1 max=2 iters=3 reps=5").group(2))
        m = bvl.FAIL_RE.match("BENCH-FAIL exec_busybox /bin/busybox:No_such_file")
        self.assertEqual(m.group(1), "exec_busybox")


class SummaryTest(unittest.TestCase):
    def test_medians_ratios_and_geomean(self):
        s = bvl.summarize(["a", "b"], results({"a": [100, 300, 200], "b": [10, 10]},
                                              {"a": [50, 50, 60], "b": [40, 40]}))
        a, b = s["benchmarks"]
        self.assertEqual(a["linux"]["median_ns_per_op"], 200)
        self.assertEqual(a["aramid"]["median_ns_per_op"], 50)
        self.assertAlmostEqual(a["ratio"], 0.25)
        self.assertAlmostEqual(b["ratio"], 4.0)
        self.assertAlmostEqual(s["geomean_ratio"], 1.0)
        self.assertEqual(s["compared"], 2)

    def test_failure_on_one_side_has_no_ratio_and_is_reported(self):
        s = bvl.summarize(["a", "b"], results({"a": [100], "b": [10]}, {"a": [100]},
                                              {"b": "killed_by_signal_11"}))
        b = s["benchmarks"][1]
        self.assertIsNone(b["ratio"])
        self.assertEqual(b["aramid"]["failure"], "killed_by_signal_11")
        self.assertEqual(s["compared"], 1)
        self.assertIn("FAIL", bvl.table(s))

    def test_nothing_compared(self):
        s = bvl.summarize(["a"], results({"a": [5]}, {}, {"a": "aramid cannot run programs yet"}))
        self.assertIsNone(s["geomean_ratio"])
        self.assertIn("geometric mean", bvl.table(s))

    def test_flaky_benchmark_keeps_its_failure(self):
        res = results({"a": [1]}, {"a": [2]}, {"a": "timeout_after_60s"})
        s = bvl.summarize(["a"], res)
        self.assertEqual(s["benchmarks"][0]["aramid"]["failure"], "timeout_after_60s")


class SvgTest(unittest.TestCase):
    def test_chart_is_valid_svg_with_one_row_per_benchmark(self):
        s = bvl.summarize(["fast", "slow", "broken"],
                          results({"fast": [100], "slow": [100], "broken": [1]},
                                  {"fast": [50], "slow": [1e9]}, {"broken": "x"}))
        svg = bvl.svg_chart(s)
        root = ET.fromstring(svg)
        self.assertTrue(root.tag.endswith("svg"))
        text = "".join(root.itertext())
        for name in ("fast", "slow", "broken", "0.50x", "failed on aramid"):
            self.assertIn(name, text)
        self.assertTrue(math.isfinite(s["geomean_ratio"]))


class OptionsTest(unittest.TestCase):
    def test_options_parse_alongside_cmd_bench(self):
        from aramid_py import cmd_bench
        parser = argparse.ArgumentParser()
        cmd_bench.configure(parser)  # must not clash with the driver's own options
        args, _ = parser.parse_known_args(["--vs-linux", "--rounds", "2", "--reps", "3"])
        # --machine stays unset: --vs-linux then picks pc, --boot-time microvm and pc.
        self.assertEqual((args.rounds, args.reps, args.machine, args.min_time_ms), (2, 3, None, 50))


if __name__ == "__main__":
    unittest.main()
