"""`bench --vs-linux`: the in-guest microbenchmarks on Aramid and on Linux, side by side.

Both kernels boot in the same QEMU configuration (machine, accelerator, memory, image) and run
the guest program /aramid/bin/aramid-bench through `exec`. The program prints one line per
benchmark, `BENCH <name> <nanoseconds per operation>`, and may take benchmark names as
arguments. Rounds alternate the kernels (A L L A A L ...) so that a slow spell of the host hits
both. Per benchmark: the median over rounds for each kernel, the ratio Aramid/Linux; overall:
the geometric mean of the ratios. Results: a table on stdout, JSON and an SVG bar chart.
"""
from __future__ import annotations

import io
import json
import math
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

BENCH_LINE = re.compile(rb"^BENCH (\S+) ([0-9.]+(?:[eE][-+]?\d+)?)\s*$", re.M)
GUEST_PROGRAM = "aramid-bench"


@dataclass
class Results:
    kernels: tuple[str, str] = ("aramid", "linux")
    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # bench -> kernel -> ns
    failures: list[str] = field(default_factory=list)

    def add_run(self, kernel: str, output: bytes) -> int:
        count = 0
        for name, value in BENCH_LINE.findall(output):
            self.samples.setdefault(name.decode(), {}).setdefault(kernel, []).append(float(value))
            count += 1
        return count

    def rows(self) -> list[dict]:
        rows = []
        for name in sorted(self.samples):
            per = self.samples[name]
            a = statistics.median(per[self.kernels[0]]) if per.get(self.kernels[0]) else None
            b = statistics.median(per[self.kernels[1]]) if per.get(self.kernels[1]) else None
            ratio = a / b if a is not None and b else None
            rows.append({"benchmark": name, f"{self.kernels[0]}_ns": a,
                         f"{self.kernels[1]}_ns": b, "ratio": ratio,
                         "rounds": min(len(per.get(k, [])) for k in self.kernels)})
        return rows

    def geomean(self) -> float | None:
        ratios = [r["ratio"] for r in self.rows() if r["ratio"]]
        if not ratios:
            return None
        return math.exp(sum(math.log(r) for r in ratios) / len(ratios))


def alternation(rounds: int, kernels: tuple[str, str]) -> list[str]:
    """A B, B A, A B, ...: each kernel goes first in half of the rounds."""
    order: list[str] = []
    for i in range(rounds):
        order += list(kernels) if i % 2 == 0 else list(reversed(kernels))
    return order


def table(results: Results) -> str:
    a, b = results.kernels
    out = io.StringIO()
    out.write(f"{'benchmark':<28} {a + ' ns/op':>14} {b + ' ns/op':>14} {a + '/' + b:>12}\n")
    for row in results.rows():
        def cell(v, fmt):
            return format(v, fmt) if v is not None else "-"
        out.write(f"{row['benchmark']:<28} {cell(row[a + '_ns'], '14.1f')} "
                  f"{cell(row[b + '_ns'], '14.1f')} {cell(row['ratio'], '12.2f')}\n")
    g = results.geomean()
    out.write(f"{'geometric mean':<28} {'':>14} {'':>14} {format(g, '12.2f') if g else '-':>12}\n")
    for failure in results.failures:
        out.write(f"FAILED: {failure}\n")
    return out.getvalue()


def to_json(results: Results) -> str:
    return json.dumps({"kernels": list(results.kernels), "benchmarks": results.rows(),
                       "geomean_ratio": results.geomean(), "failures": results.failures,
                       "samples": results.samples}, indent=2)


def svg_chart(results: Results) -> str:
    """Horizontal bars of the ratio per benchmark on a log scale; 1.0 (parity) is marked."""
    rows = [r for r in results.rows() if r["ratio"]]
    bar_h, left, width = 18, 220, 420
    height = 40 + bar_h * max(1, len(rows))
    lo = min([0.5] + [r["ratio"] for r in rows])
    hi = max([2.0] + [r["ratio"] for r in rows])
    span = math.log(hi) - math.log(lo)

    def x(v: float) -> float:
        return left + width * (math.log(v) - math.log(lo)) / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" '
             f'height="{height}" font-family="sans-serif" font-size="12">',
             f'<text x="{left}" y="14">{results.kernels[0]}/{results.kernels[1]} '
             f'(log scale; left of the line: {results.kernels[0]} is faster)</text>']
    one = x(1.0)
    for i, row in enumerate(rows):
        y = 24 + i * bar_h
        r = row["ratio"]
        x0, x1 = sorted((one, x(r)))
        color = "#3a7" if r <= 1.0 else "#c54"
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{row["benchmark"]}</text>')
        parts.append(f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(1.0, x1 - x0):.1f}" '
                     f'height="{bar_h - 4}" fill="{color}"/>')
        parts.append(f'<text x="{x1 + 4:.1f}" y="{y + 12}">{r:.2f}</text>')
    parts.append(f'<line x1="{one:.1f}" y1="20" x2="{one:.1f}" y2="{height - 4}" stroke="black"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_outputs(results: Results, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, svg_path = directory / "vs-linux.json", directory / "vs-linux.svg"
    json_path.write_text(to_json(results))
    svg_path.write_text(svg_chart(results))
    return json_path, svg_path
