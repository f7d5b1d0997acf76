#!/usr/bin/env python3
"""Contract tests: run every program of tests/contract/programs on several kernels and compare.

Each contract program prints a deterministic transcript of what the kernel did (see
tests/contract/support/contract.h). This runner runs all of them on each backend in one batch
(tests/contract/support/batch.c, one boot per kernel) and passes a program when every backend's
transcript, exit status included, is identical:

  host        natively on this machine (the build host's Linux)
  linux       Linux in QEMU: `tools/aramid exec --kernel linux` (Debian's kernel, same machine
              setup as Aramid's)
  aramid      Aramid in QEMU: `tools/aramid exec` (the default kernel)
  aramid-sim  Aramid in hostsim native mode: `tools/aramid sim` (issue #6)

A backend that cannot run (not built yet, QEMU missing, kernel does not boot) fails every
program on that backend, and says why; it is never skipped. When a kernel dies or hangs in the
middle of a batch, the program that was running fails with the end of the kernel log, and the
batch continues on a fresh boot from the next program.

The summary line is `N passed, M failed`; divergences count as failures. A failure listed in
tests/contract/known-divergences.txt (`PROGRAM BACKEND REASON...`, BACKEND may be `*`) is still
counted as failed, but does not make the exit status non-zero.

Transcripts are kept in BUILD/contract/<backend>/<program>.out, kernel logs in
BUILD/contract/<backend>-kernel-<n>.log.

Usage: run_contract.py [--build-dir DIR] [--backends host,linux,...] [--only NAME,...]
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALL_BACKENDS = ("host", "linux", "aramid", "aramid-sim")
GUEST_DIR = "/aramid/contract"
PER_PROGRAM_TIMEOUT_S = 20
MAX_REBOOTS = 12
MAX_NAMES_PER_BOOT = 200  # the test init takes at most 256 words
DIFF_LINES = 40
LOG_TAIL_LINES = 30


@dataclass
class Result:
    """What one backend gave for one program."""
    transcript: bytes | None = None   # output + status line; None when it did not run to the end
    problem: str = ""                 # why there is no transcript (or what went wrong)


@dataclass
class BackendRun:
    name: str
    results: dict[str, Result] = field(default_factory=dict)
    unavailable: str = ""             # set when the backend could not run at all
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the batch protocol (support/batch.c).

BEGIN_RE = re.compile(rb"@@BEGIN (\S+)\n")
OUTPUT_RE = re.compile(rb"@@OUTPUT (\S+) (\d+)\n")
END_RE = re.compile(rb"\n@@END (\S+) ([^\n]*)\n")


def parse_batch(stream: bytes) -> tuple[dict[str, bytes], str | None, bool, list[str]]:
    """Returns ({program: transcript}, program started but unfinished, saw DONE, notes)."""
    done: dict[str, bytes] = {}
    notes: list[str] = []
    pos = 0
    current: str | None = None
    finished = False
    while pos < len(stream):
        if stream.startswith(b"@@BEGIN ", pos):
            m = BEGIN_RE.match(stream, pos)
            if not m:
                break
            current = m.group(1).decode()
            pos = m.end()
        elif stream.startswith(b"@@OUTPUT ", pos):
            m = OUTPUT_RE.match(stream, pos)
            if not m:
                break
            name, length = m.group(1).decode(), int(m.group(2))
            body_start = m.end()
            body = stream[body_start:body_start + length]
            if len(body) < length:
                break
            e = END_RE.match(stream, body_start + length)
            if not e or e.group(1).decode() != name:
                break
            status = e.group(2).decode(errors="replace")
            done[name] = body + f"\n[{status}]\n".encode()
            current = None
            pos = e.end()
        elif stream.startswith(b"@@CONTRACT-DONE", pos):
            finished = True
            break
        else:
            # @@CONTRACT-BATCH, @@NOTE or anything the kernel printed on the console.
            end = stream.find(b"\n", pos)
            line = stream[pos:end if end >= 0 else len(stream)]
            if line.startswith(b"@@NOTE"):
                notes.append(line.decode(errors="replace"))
            if end < 0:
                break
            pos = end + 1
    return done, current, finished, notes


# ---------------------------------------------------------------------------------------------
# Running a batch on one backend.

def run_streaming(cmd: list[str], idle_timeout: float, total_timeout: float,
                  cwd: Path | None = None) -> tuple[bytes, bytes, int | None, str]:
    """Runs cmd, collecting stdout; gives up when nothing arrives for idle_timeout seconds.

    Returns (stdout, stderr, exit status or None, reason it was stopped or '').
    """
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
    except OSError as error:
        return b"", str(error).encode(), None, f"cannot start {cmd[0]}: {error}"
    out = bytearray()
    err = bytearray()
    last = [time.monotonic()]

    def pump(stream, sink, touch):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            sink += chunk
            if touch:
                last[0] = time.monotonic()

    threads = [threading.Thread(target=pump, args=(proc.stdout, out, True), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, err, False), daemon=True)]
    for t in threads:
        t.start()
    start = time.monotonic()
    reason = ""
    while proc.poll() is None:
        now = time.monotonic()
        if now - last[0] > idle_timeout:
            reason = f"no output for {idle_timeout:.0f} s"
        elif now - start > total_timeout:
            reason = f"still running after {total_timeout:.0f} s"
        if reason:
            stop(proc)
            break
        time.sleep(0.2)
    for t in threads:
        t.join(timeout=10)
    return bytes(out), bytes(err), proc.returncode if not reason else None, reason


def stop(proc: subprocess.Popen) -> None:
    """Stops `tools/aramid exec` so that it takes its QEMU down with it (SIGINT first)."""
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


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    | " + line for line in text[-lines:]) or "    (kernel log is empty)"


class Runner:
    def __init__(self, args: argparse.Namespace, names: list[str], all_names: list[str]):
        self.args = args
        self.names = names
        self.all_names = all_names
        self.build = args.build_dir.resolve()
        self.contract_bin = self.build / "guest" / "aramid" / "contract"
        self.out_dir = self.build / "contract"

    def command(self, backend: str, log: Path, batch_args: list[str], timeout: float) -> list[str]:
        driver = str(ROOT / "tools" / "aramid")
        if backend == "host":
            return [str(self.contract_bin / "contract-batch"), "--private-tmpfs", *batch_args]
        if backend in ("linux", "aramid"):
            cmd = [driver, "exec", "--kernel", backend, "--no-build", "--rootfs", "empty",
                   "--timeout", str(int(timeout)), "--log", str(log)]
            if self.args.accel:
                cmd += ["--accel", self.args.accel]
            return cmd + ["--", f"{GUEST_DIR}/contract-batch", "--guest", *batch_args]
        if backend == "aramid-sim":
            # The same tree the QEMU images carry (/aramid/contract with contract.list and the
            # helpers beside the batch runner), as the root file system of the native session.
            return [driver, "sim", "--no-build", "--rootfs", str(self.build / "guest"),
                    "--timeout", str(int(timeout)), "--",
                    f"{GUEST_DIR}/contract-batch", "--guest", *batch_args]
        raise ValueError(backend)

    def batch_args(self, remaining: list[str]) -> list[list[str]]:
        """Arguments for contract-batch that run `remaining`, in as few boots as possible."""
        timeout = [f"--timeout={self.args.program_timeout}"]
        n = len(self.all_names)
        if remaining == self.all_names[n - len(remaining):]:
            return [timeout + [f"--start={n - len(remaining)}"]]
        return [timeout + remaining[i:i + MAX_NAMES_PER_BOOT]
                for i in range(0, len(remaining), MAX_NAMES_PER_BOOT)]

    def run_backend(self, backend: str) -> BackendRun:
        run = BackendRun(backend)
        remaining = list(self.names)
        boots = 0
        while remaining:
            if boots > MAX_REBOOTS:
                for name in remaining:
                    run.results[name] = Result(problem=f"not run: the kernel failed {boots} times")
                break
            args_list = self.batch_args(remaining)
            batch = args_list[0]
            boots += 1
            log = self.out_dir / f"{backend}-kernel-{boots}.log"
            count = len(remaining) if "--start=" in " ".join(batch) else len(batch) - 1
            total = 120 + count * (self.args.program_timeout + 5)
            cmd = self.command(backend, log, batch, total)
            if self.args.verbose:
                print(f"contract: {backend}: {' '.join(cmd)}", file=sys.stderr)
            started = time.monotonic()
            out, err, status, stopped = run_streaming(
                cmd, idle_timeout=self.args.program_timeout + 60, total_timeout=total + 60)
            elapsed = time.monotonic() - started
            done, current, finished, notes = parse_batch(out)
            run.notes.extend(notes)
            for name, transcript in done.items():
                run.results[name] = Result(transcript)
            remaining = [n for n in remaining if n not in done]
            if self.args.verbose:
                print(f"contract: {backend}: boot {boots}: {len(done)} programs in {elapsed:.1f} s",
                      file=sys.stderr)
            if finished and not remaining:
                break
            if not done and current is None:
                # Nothing ran at all: the backend is not there (not built, QEMU, no boot).
                why = stopped or (err.decode(errors="replace").strip().splitlines() or
                                  [f"exit status {status}"])[-1]
                if backend in ("linux", "aramid") and tail(log):
                    why += "\n" + tail(log)
                run.unavailable = why
                for name in remaining:
                    run.results[name] = Result(problem=f"{backend} unavailable")
                break
            # The kernel died or hung during `current` (or stopped between programs).
            culprit = current if current in remaining else (remaining[0] if not finished else None)
            if culprit is None:
                break
            reason = stopped or (f"the batch ended early (exit status {status})")
            detail = reason
            if backend in ("linux", "aramid") and tail(log):
                detail += "\n" + tail(log)
            elif err:
                detail += "\n" + "\n".join("    | " + l for l in
                                           err.decode(errors="replace").splitlines()[-LOG_TAIL_LINES:])
            run.results[culprit] = Result(problem=f"crashed or hung while running it: {detail}")
            remaining.remove(culprit)
        return run


# ---------------------------------------------------------------------------------------------
# Comparing.

def load_known(path: Path) -> dict[tuple[str, str], str]:
    known: dict[tuple[str, str], str] = {}
    if not path.exists():
        return known
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise SystemExit(f"{path}: '{line}': expected PROGRAM BACKEND REASON")
        known[(parts[0], parts[1])] = parts[2]
    return known


def is_known(known: dict[tuple[str, str], str], program: str, backend: str) -> str | None:
    return known.get((program, backend)) or known.get((program, "*"))


def diff(reference: bytes, other: bytes, ref_name: str, other_name: str) -> str:
    a = reference.decode(errors="replace").splitlines()
    b = other.decode(errors="replace").splitlines()
    lines = list(difflib.unified_diff(a, b, ref_name, other_name, lineterm="", n=2))
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... ({len(lines) - DIFF_LINES} more diff lines)"]
    return "\n".join("    " + line for line in lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", type=Path, default=Path(os.environ.get("ARAMID_BUILD_DIR",
                                                                                ROOT / "build")))
    parser.add_argument("--backends", default=",".join(ALL_BACKENDS),
                        help=f"comma-separated, from {', '.join(ALL_BACKENDS)} (default: all)")
    parser.add_argument("--only", default="", help="comma-separated program names (default: all)")
    parser.add_argument("--program-timeout", type=int, default=PER_PROGRAM_TIMEOUT_S,
                        help=f"seconds one program may run (default {PER_PROGRAM_TIMEOUT_S})")
    parser.add_argument("--known", type=Path, default=ROOT / "tests/contract/known-divergences.txt")
    parser.add_argument("--accel", choices=("kvm", "tcg"), help="passed to tools/aramid exec")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)

    backends = [b for b in args.backends.split(",") if b]
    for b in backends:
        if b not in ALL_BACKENDS:
            parser.error(f"unknown backend '{b}'")
    build = args.build_dir.resolve()
    listing = build / "guest" / "aramid" / "contract" / "contract.list"
    if not listing.exists():
        print(f"contract: {listing} is missing: build first (tools/aramid build)", file=sys.stderr)
        return 2
    all_names = [l.strip() for l in listing.read_text().splitlines()
                 if l.strip() and not l.startswith("#")]
    names = all_names
    if args.only:
        wanted = [n for n in args.only.split(",") if n]
        unknown = [n for n in wanted if n not in all_names]
        if unknown:
            parser.error(f"no such contract program: {', '.join(unknown)}")
        names = [n for n in all_names if n in wanted]
    known = load_known(args.known)

    runner = Runner(args, names, all_names)
    runner.out_dir.mkdir(parents=True, exist_ok=True)
    runs: dict[str, BackendRun] = {}
    for backend in backends:
        started = time.monotonic()
        runs[backend] = runner.run_backend(backend)
        took = time.monotonic() - started
        run = runs[backend]
        state = f"UNAVAILABLE: {run.unavailable}" if run.unavailable else \
            f"{sum(1 for r in run.results.values() if r.transcript is not None)} transcripts"
        print(f"contract: {backend}: {state} ({took:.1f} s)")
        for note in run.notes:
            print(f"contract: {backend}: {note}")
        out = runner.out_dir / backend
        out.mkdir(parents=True, exist_ok=True)
        for name, result in run.results.items():
            if result.transcript is not None:
                (out / f"{name}.out").write_bytes(result.transcript)

    reference_order = [b for b in ("linux", "host", "aramid", "aramid-sim") if b in backends]
    passed = failed = known_failures = 0
    for name in names:
        ref_backend = next((b for b in reference_order
                            if runs[b].results.get(name, Result()).transcript is not None), None)
        problems: list[tuple[str, str]] = []  # (backend, text)
        binary = listing.parent / name
        if not binary.exists():
            # Every backend would report the same failed exec, which would compare equal.
            problems.append(("*", f"{binary} was not built"))
        elif ref_backend is None:
            for b in backends:
                problems.append((b, runs[b].results.get(name, Result(problem="no result")).problem))
        else:
            reference = runs[ref_backend].results[name].transcript
            assert reference is not None
            for b in backends:
                r = runs[b].results.get(name, Result(problem="no result"))
                if r.transcript is None:
                    problems.append((b, r.problem or "no transcript"))
                elif r.transcript != reference:
                    problems.append((b, f"differs from {ref_backend}:\n" +
                                     diff(reference, r.transcript, ref_backend, b)))
        if not problems:
            passed += 1
            if args.verbose:
                print(f"PASS {name}")
            continue
        failed += 1
        reasons = [is_known(known, name, b) if b != "*" else "" for b, _ in problems]
        all_known = all(reasons)
        if all_known:
            known_failures += 1
        label = "FAIL (known divergence)" if all_known else "FAIL"
        print(f"{label} {name}")
        for (b, text), reason in zip(problems, reasons):
            if reason:
                print(f"  {b}: known divergence: {reason}")
            elif b in (r for r in backends if runs[r].unavailable):
                print(f"  {b}: backend unavailable")
            else:
                print(f"  {b}: {text}")
    for b in backends:
        if runs[b].unavailable:
            print(f"contract: backend {b} is unavailable, so every program fails on it: "
                  f"{runs[b].unavailable}")
    extra = f" ({known_failures} known divergences)" if known_failures else ""
    print(f"{passed} passed, {failed} failed{extra}")
    return 0 if failed == known_failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
