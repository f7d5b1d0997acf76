"""bench --vs-linux's arithmetic and outputs: medians, ratios, geometric mean, JSON, SVG."""
import json
import math
import unittest
import xml.etree.ElementTree as ET

import tooltest  # noqa: F401
from aramid_py import bench_vs


def sample() -> bench_vs.Results:
    r = bench_vs.Results()
    for ns in (100, 300, 200):
        r.add_run("aramid", f"noise\nBENCH getpid {ns}\nBENCH fork {ns * 100}\n".encode())
    for ns in (50, 60, 40):
        r.add_run("linux", f"BENCH getpid {ns}\nBENCH fork {ns * 1000}\n".encode())
    return r


class BenchVsLinux(unittest.TestCase):
    def test_medians_ratios_and_geometric_mean(self):
        rows = {row["benchmark"]: row for row in sample().rows()}
        self.assertEqual((rows["getpid"]["aramid_ns"], rows["getpid"]["linux_ns"]), (200, 50))
        self.assertAlmostEqual(rows["getpid"]["ratio"], 4.0)
        self.assertAlmostEqual(rows["fork"]["ratio"], 20000 / 50000)
        self.assertAlmostEqual(sample().geomean(), math.sqrt(4.0 * 0.4))
        self.assertEqual(rows["getpid"]["rounds"], 3)

    def test_only_well_formed_lines_count(self):
        r = bench_vs.Results()
        self.assertEqual(r.add_run("linux", b"BENCH a 1.5e3\nBENCH b x\nXBENCH c 1\nBENCH d 2 3\n"), 1)
        self.assertEqual(r.samples, {"a": {"linux": [1500.0]}})

    def test_a_benchmark_missing_on_one_kernel_has_no_ratio(self):
        r = bench_vs.Results()
        r.add_run("linux", b"BENCH only_linux 10\n")
        self.assertIsNone(r.rows()[0]["ratio"])
        self.assertIsNone(r.geomean())
        self.assertIn("only_linux", bench_vs.table(r))

    def test_rounds_alternate_which_kernel_goes_first(self):
        self.assertEqual(bench_vs.alternation(3, ("a", "l")), ["a", "l", "l", "a", "a", "l"])

    def test_table_json_and_svg(self):
        r = sample()
        r.failures.append("linux run 4: status 124")
        text = bench_vs.table(r)
        self.assertRegex(text, r"getpid +200\.0 +50\.0 +4\.00")
        self.assertRegex(text, r"geometric mean +1\.26")
        self.assertIn("FAILED: linux run 4", text)
        data = json.loads(bench_vs.to_json(r))
        self.assertAlmostEqual(data["geomean_ratio"], math.sqrt(1.6))
        self.assertEqual(len(data["benchmarks"]), 2)
        svg = ET.fromstring(bench_vs.svg_chart(r))
        self.assertEqual(len(svg.findall("{http://www.w3.org/2000/svg}rect")), 2)


if __name__ == "__main__":
    unittest.main()
