"""`tools/aramid bench --vs-linux`: the in-guest microbenchmarks on Aramid and on Linux, side by side.

Both kernels boot in the same QEMU configuration (machine, memory, CPU model, accelerator, the
pinned Alpine rootfs plus the guest programs) and run /aramid/bin/aramid-bench
(bench/guest/aramid_bench.c). Each round boots each kernel once, alternating which goes first;
a benchmark's result for a kernel is the median over rounds of its per-round median ns/op.

Output:
  - a table on stdout: median ns/op for each kernel, the ratio Aramid/Linux (below 1: Aramid is
    faster) and the geometric mean of the ratios over the benchmarks both kernels ran;
  - <out>/vs-linux.json: the same, with every round's numbers;
  - <out>/vs-linux.svg: a bar chart of the ratios on a log scale;
  where <out> is build/bench unless --out says otherwise.

A benchmark that fails, crashes or hangs on a kernel is reported as failing for that kernel
(with the reason), and the run goes on: a hung kernel is stopped and booted again from the
next benchmark. A kernel that cannot run programs at all (Aramid before it can exec) fails
every benchmark, and the run still measures the other side completely. The exit status is 0
only when every benchmark ran on both kernels.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aramid_py import kernels
from aramid_py.util import ROOT, Failure, build_dir

KERNEL_NAMES = ("linux", "aramid")
BENCH_PROGRAM = "/aramid/bin/aramid-bench"
MAX_BOOTS_PER_ROUND = 8
RESULT_RE = re.compile(r"^BENCH (\S+) ([0-9.]+(?:[eE][-+]?\d+)?)\s*$")
DETAIL_RE = re.compile(r"^BENCH-DETAIL (\S+) .*?(?: note=(\S+))?\s*$")
FAIL_RE = re.compile(r"^BENCH-FAIL (\S+) (.*)$")
BEGIN_RE = re.compile(r"^BENCH-BEGIN (\S+)\s*$")


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of --vs-linux that cmd_bench does not define itself (it has --rounds,
    --machine, --accel, --timeout and --out; benchmark names come after `--`)."""
    group = parser.add_argument_group("--vs-linux (also --rounds, --machine, --accel, --timeout, --out)")
    group.add_argument("--min-time-ms", type=int, default=50,
                       help="length of one timed repetition inside the guest (default 50)")
    group.add_argument("--reps", type=int, default=5,
                       help="timed repetitions per benchmark per boot (default 5)")
    group.add_argument("--bench-timeout", type=int, default=60,
                       help="seconds one benchmark may take before it fails (default 60)")
    group.add_argument("--memory", default="512M", help="guest memory for both (default 512M)")


@dataclass
class KernelResults:
    name: str
    rounds: dict[str, list[float]] = field(default_factory=dict)   # bench -> ns/op per round
    failures: dict[str, str] = field(default_factory=dict)          # bench -> last reason
    notes: dict[str, str] = field(default_factory=dict)             # bench -> note (vdso, ...)
    unavailable: str = ""
    boot_seconds: list[float] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Running one boot.

def _stop(proc: subprocess.Popen) -> None:
    # SIGINT first: `tools/aramid exec` then takes its QEMU down with it.
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_streaming(cmd: list[str], idle_timeout: float, total_timeout: float) -> tuple[str, str, str]:
    """Runs cmd; stops it when stdout is quiet for idle_timeout s. Returns (stdout, stderr, why)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    out, err = bytearray(), bytearray()
    last = [time.monotonic()]

    def pump(stream, sink, touch):
        while chunk := stream.read1(65536):
            sink += chunk
            if touch:
                last[0] = time.monotonic()

    threads = [threading.Thread(target=pump, args=(proc.stdout, out, True), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, err, False), daemon=True)]
    for t in threads:
        t.start()
    start, why = time.monotonic(), ""
    while proc.poll() is None:
        now = time.monotonic()
        if now - last[0] > idle_timeout:
            why = f"no output for {idle_timeout:.0f} s"
        elif now - start > total_timeout:
            why = f"still running after {total_timeout:.0f} s"
        if why:
            _stop(proc)
            break
        time.sleep(0.2)
    for t in threads:
        t.join(timeout=10)
    return out.decode(errors="replace"), err.decode(errors="replace"), why


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "\n".join("    | " + line for line in text)


class Bencher:
    def __init__(self, args: argparse.Namespace, names: list[str], all_names: list[str],
                 out_dir: Path):
        self.args = args
        self.names = names
        self.all_names = all_names
        self.out_dir = out_dir
        self.driver = str(ROOT / "tools" / "aramid")

    def command(self, kernel: str, todo: list[str], log: Path, timeout: float) -> list[str]:
        cmd = [self.driver, "exec", "--no-build", "--kernel", kernel, "--machine", self.args.machine,
               "--memory", self.args.memory, "--rootfs", "alpine", "--timeout", str(int(timeout)),
               "--log", str(log)]
        if self.args.accel:
            cmd += ["--accel", self.args.accel]
        cmd += ["--", BENCH_PROGRAM, f"--min-time-ms={self.args.min_time_ms}",
                f"--reps={self.args.reps}", f"--timeout={self.args.bench_timeout}"]
        # All benchmarks: no names (the program runs its whole list); otherwise name them.
        return cmd + ([] if todo == self.all_names else todo)

    def one_round(self, kernel: str, round_no: int, results: KernelResults) -> None:
        """Boots `kernel` as often as it takes to give every benchmark one chance this round."""
        todo = list(self.names)
        for boot in range(1, MAX_BOOTS_PER_ROUND + 1):
            if not todo:
                return
            log = self.out_dir / "vs-linux-logs" / f"{kernel}-round{round_no}-boot{boot}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            total = min(120 + len(todo) * (self.args.bench_timeout + 10), self.args.timeout)
            started = time.monotonic()
            stdout, stderr, stopped = run_streaming(
                self.command(kernel, todo, log, total), idle_timeout=self.args.bench_timeout + 60,
                total_timeout=total + 60)
            results.boot_seconds.append(time.monotonic() - started)
            current, seen_any = None, False
            for line in stdout.splitlines():
                if m := BEGIN_RE.match(line):
                    current, seen_any = m.group(1), True
                elif m := RESULT_RE.match(line):
                    name = m.group(1)
                    results.rounds.setdefault(name, []).append(float(m.group(2)))
                    if name in todo:
                        todo.remove(name)
                    current = None
                elif m := DETAIL_RE.match(line):
                    if m.group(2):
                        results.notes[m.group(1)] = m.group(2)
                elif m := FAIL_RE.match(line):
                    name = m.group(1)
                    results.failures[name] = m.group(2)
                    if name in todo:
                        todo.remove(name)
                    current = None
            if not todo:
                return
            if not seen_any:
                reason = stopped or (stderr.strip().splitlines() or ["no output"])[-1]
                results.unavailable = reason
                for name in todo:
                    results.failures[name] = f"{kernel} did not run the benchmark program: {reason}"
                return
            # The kernel crashed or hung inside `current` (or just after the last result).
            culprit = current if current in todo else todo[0]
            tail = log_tail(log)
            results.failures[culprit] = (f"the kernel died or hung during it ({stopped or 'the run ended early'})"
                                         + (f"\n{tail}" if tail else ""))
            todo.remove(culprit)
        for name in todo:
            results.failures[name] = f"not run: {kernel} failed {MAX_BOOTS_PER_ROUND} boots in a row"


# ----------------------------------------------------------------------------------------------
# Reporting.

def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(names: list[str], res: dict[str, KernelResults]) -> dict:
    rows = []
    ratios = []
    for name in names:
        row: dict = {"name": name}
        for k in KERNEL_NAMES:
            values = res[k].rounds.get(name, [])
            row[k] = {"median_ns_per_op": median_or_none(values), "rounds_ns_per_op": values,
                      "failure": res[k].failures.get(name) if not values or name in res[k].failures else None,
                      "note": res[k].notes.get(name)}
        lin, ara = row["linux"]["median_ns_per_op"], row["aramid"]["median_ns_per_op"]
        row["ratio"] = ara / lin if lin and ara else None
        if row["ratio"]:
            ratios.append(row["ratio"])
        rows.append(row)
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    return {"benchmarks": rows, "geomean_ratio": geomean, "compared": len(ratios)}


def fmt_ns(v: float | None) -> str:
    if v is None:
        return "FAIL"
    if v >= 1e6:
        return f"{v / 1e6:.2f} ms"
    if v >= 1e3:
        return f"{v / 1e3:.2f} us"
    return f"{v:.1f} ns"


def table(summary: dict) -> str:
    lines = [f"{'benchmark':<24} {'linux':>12} {'aramid':>12} {'aramid/linux':>13}",
             "-" * 64]
    for row in summary["benchmarks"]:
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] else "-"
        lines.append(f"{row['name']:<24} {fmt_ns(row['linux']['median_ns_per_op']):>12} "
                     f"{fmt_ns(row['aramid']['median_ns_per_op']):>12} {ratio:>13}")
    lines.append("-" * 64)
    g = summary["geomean_ratio"]
    lines.append(f"{'geometric mean':<24} {'':>12} {'':>12} "
                 f"{(f'{g:.2f}x' if g else '-'):>13}  ({summary['compared']} benchmarks on both)")
    return "\n".join(lines)


def svg_chart(summary: dict) -> str:
    """Horizontal bars of log2(ratio) around 1.0: left (green) Aramid faster, right (red) slower."""
    rows = summary["benchmarks"]
    bar_h, gap, left, width, top = 18, 6, 190, 520, 40
    height = top + len(rows) * (bar_h + gap) + 60
    center = left + width / 2
    span = 4.0  # log2 range shown on each side: 1/16x .. 16x
    scale = (width / 2) / span

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 110}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="20" font-size="14" font-weight="bold">Aramid / Linux, median ns/op '
           f'(log scale; left of 1x: Aramid faster)</text>']
    for k in range(-int(span), int(span) + 1):
        x = center + k * scale
        label = f"{2 ** k:g}x" if k >= 0 else f"1/{2 ** -k:g}x"
        out.append(f'<line x1="{x:.1f}" y1="{top - 5}" x2="{x:.1f}" y2="{height - 45}" '
                   f'stroke="{"#444" if k == 0 else "#ddd"}"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 30}" text-anchor="middle">{label}</text>')
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 5}" text-anchor="end">{esc(row["name"])}</text>')
        ratio = row["ratio"]
        if ratio is None:
            who = [k for k in KERNEL_NAMES if row[k]["median_ns_per_op"] is None]
            out.append(f'<text x="{center + 6}" y="{y + bar_h - 5}" fill="#b00">failed on '
                       f'{esc(", ".join(who))}</text>')
            continue
        v = max(-span, min(span, math.log2(ratio)))
        x0, x1 = sorted((center, center + v * scale))
        color = "#2a9d3a" if ratio < 1 else "#c0392b"
        out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(1.0, x1 - x0):.1f}" height="{bar_h}" '
                   f'fill="{color}"/>')
        out.append(f'<text x="{left + width + 8}" y="{y + bar_h - 5}">{ratio:.2f}x</text>')
    g = summary["geomean_ratio"]
    out.append(f'<text x="{left}" y="{height - 10}">geometric mean: '
               f'{f"{g:.2f}x" if g else "n/a (no benchmark ran on both kernels)"}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def list_benchmarks(build: Path) -> list[str]:
    program = build / "guest" / BENCH_PROGRAM.lstrip("/")
    if not program.exists():
        raise Failure(f"{program} is missing: run tools/aramid build")
    listing = subprocess.run([str(program), "--list"], capture_output=True, text=True, check=True)
    return [line.split("\t", 1)[0] for line in listing.stdout.splitlines() if line.strip()]


def run(args: argparse.Namespace) -> int:
    extra = getattr(args, "passthrough", [])
    if extra:
        raise Failure(f"--vs-linux does not take {' '.join(extra)}", code=2)
    if args.rounds < 1:
        raise Failure("--rounds must be at least 1", code=2)
    build = build_dir()
    out_dir = (args.out or build / "bench-results").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    all_names = list_benchmarks(build)
    names = all_names
    wanted = list(getattr(args, "program", []) or [])
    if wanted:
        missing = [n for n in wanted if n not in all_names]
        if missing:
            raise Failure(f"no such benchmark: {', '.join(missing)} (aramid-bench --list)", code=2)
        names = [n for n in all_names if n in wanted]
    results = {k: KernelResults(k) for k in KERNEL_NAMES}
    # Can Aramid start a program at all? If not, say why once and still run Linux fully.
    try:
        kernels.select("aramid", build, need="init", what="bench --vs-linux")
    except Failure as failure:
        results["aramid"].unavailable = str(failure)
        for name in names:
            results["aramid"].failures[name] = f"aramid cannot run programs yet: {failure}"
    bencher = Bencher(args, names, all_names, out_dir)
    started = time.monotonic()
    for round_no in range(1, args.rounds + 1):
        order = KERNEL_NAMES if round_no % 2 else tuple(reversed(KERNEL_NAMES))
        for kernel in order:
            if results[kernel].unavailable:
                continue
            t0 = time.monotonic()
            bencher.one_round(kernel, round_no, results[kernel])
            print(f"aramid bench: round {round_no}/{args.rounds} {kernel}: "
                  f"{time.monotonic() - t0:.1f} s", file=sys.stderr, flush=True)
    summary = summarize(names, results)
    summary.update({
        "machine": args.machine, "memory": args.memory, "accel": args.accel or "auto",
        "rounds": args.rounds, "min_time_ms": args.min_time_ms, "reps": args.reps,
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "unavailable": {k: r.unavailable for k, r in results.items() if r.unavailable},
    })
    print(table(summary))
    failures = [(row["name"], k, row[k]["failure"]) for row in summary["benchmarks"]
                for k in KERNEL_NAMES if row[k]["failure"]]
    for k, r in results.items():
        if r.unavailable:
            print(f"\n{k}: every benchmark failed: {r.unavailable}")
    shown = [f for f in failures if not results[f[1]].unavailable]
    if shown:
        print("\nfailures:")
        for name, k, why in shown:
            print(f"  {name} on {k}: {why}")
    json_path, svg_path = out_dir / "vs-linux.json", out_dir / "vs-linux.svg"
    json_path.write_text(json.dumps(summary, indent=2) + "\n")
    svg_path.write_text(svg_chart(summary))
    print(f"\nwrote {json_path} and {svg_path} ({summary['elapsed_seconds']} s)")
    return 0 if not failures else 1
