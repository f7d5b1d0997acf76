"""Check formatting (clang-format) and style (clang-tidy) of the C and C++ files you changed.

Changed means: differing from the merge base with main (--base), plus uncommitted and
untracked files. --all checks every file. clang-tidy uses build/compile_commands.json, so
run `tools/aramid build` first. Not part of `tools/aramid test`. Exit status 1 when anything
is reported.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aramid_py.util import ROOT, Failure, build_dir, require_tool

SOURCE_SUFFIXES = {".c", ".cc", ".h"}
TIDY_SUFFIXES = {".c", ".cc"}
# Flags of the freestanding kernel build that clang cannot analyse with: without x87, clang
# refuses libstdc++'s long double overloads that gcc accepts unused.
FREESTANDING_ONLY = {"-mgeneral-regs-only", "-mno-sse", "-mno-mmx", "-mno-avx"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", default="main", help="compare with this ref (default: main)")
    parser.add_argument("--all", action="store_true", help="check every C/C++ file")
    parser.add_argument("--fix", action="store_true", help="reformat in place (clang-format -i)")
    parser.add_argument("--no-tidy", action="store_true", help="clang-format only (fast)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="clang-tidy processes at once (default: one per CPU)")


def lint_database() -> tuple[Path, set[str]]:
    """Writes build/lint/compile_commands.json: one entry per source file for clang-tidy.

    kernel/ sources are compiled twice (hostsim and freestanding); the hostsim entry is kept,
    since both see the same code and clang analyses it cleanly. Sources only the freestanding
    image compiles (hal/x86_64) keep their entry without the flags clang rejects.
    """
    database = build_dir() / "compile_commands.json"
    if not database.exists():
        raise Failure(f"{database} is missing: run tools/aramid build first")
    chosen: dict[str, dict] = {}
    for entry in json.loads(database.read_text()):
        key = str(Path(entry["file"]).resolve())
        freestanding = "-ffreestanding" in entry["command"]
        if key in chosen and freestanding:
            continue
        if freestanding:
            entry = dict(entry, command=" ".join(
                word for word in entry["command"].split() if word not in FREESTANDING_ONLY))
        chosen[key] = entry
    lint_dir = build_dir() / "lint"
    lint_dir.mkdir(exist_ok=True)
    (lint_dir / "compile_commands.json").write_text(json.dumps(list(chosen.values()), indent=1))
    return lint_dir, set(chosen)


def git(*args: str) -> list[str]:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"git {' '.join(args)}: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line]


def changed_files(base: str) -> list[str]:
    merge_base = git("merge-base", "HEAD", base)[0]
    files = set(git("diff", "--name-only", "--diff-filter=ACMR", merge_base))
    files |= set(git("ls-files", "--others", "--exclude-standard"))
    return sorted(files)


def run(args: argparse.Namespace) -> int:
    files = git("ls-files") if args.all else changed_files(args.base)
    files = [f for f in files if Path(f).suffix in SOURCE_SUFFIXES and (ROOT / f).exists()]
    if not files:
        print("lint: no changed C/C++ files")
        return 0
    failed = False
    clang_format = require_tool("clang-format", "clang-format")
    fmt = [clang_format, "-i"] if args.fix else [clang_format, "--dry-run", "--Werror"]
    if subprocess.run([*fmt, *files], cwd=ROOT).returncode != 0:
        failed = True
    if not args.no_tidy:
        clang_tidy = require_tool("clang-tidy", "clang-tidy")
        lint_dir, compiled = lint_database()
        tidy = [f for f in files if Path(f).suffix in TIDY_SUFFIXES
                and str((ROOT / f).resolve()) in compiled]

        def tidy_one(f: str) -> subprocess.CompletedProcess:
            # -Wshadow=local and other gcc-only warning flags are gcc's business.
            return subprocess.run([clang_tidy, "-p", str(lint_dir), "--quiet",
                                   "--warnings-as-errors=*",
                                   "--extra-arg=-Wno-unknown-warning-option", f],
                                  cwd=ROOT, capture_output=True, text=True)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for f, result in zip(tidy, pool.map(tidy_one, tidy)):
                if result.returncode != 0:
                    failed = True
                    sys.stdout.write(result.stdout)
                    sys.stdout.flush()
    print(f"lint: {len(files)} file(s) checked: {'problems found' if failed else 'clean'}",
          file=sys.stderr)
    return 1 if failed else 0
