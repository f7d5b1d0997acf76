"""Shared small things: where the repository, build tree and cache are; how failures look."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Failure(Exception):
    """A failure to report as one line on stderr with a specific exit status."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class NotBuiltYet(Failure):
    """A subcommand whose kernel-side pieces do not exist yet: say so and exit 2, never pretend."""

    def __init__(self, message: str):
        super().__init__(f"not built yet: {message}", code=2)


def build_dir(asan: bool = False) -> Path:
    """The CMake build tree: $ARAMID_BUILD_DIR, else build/ (build-asan/ for --asan)."""
    env = os.environ.get("ARAMID_BUILD_DIR")
    if env and not asan:
        return Path(env).resolve()
    return ROOT / ("build-asan" if asan else "build")


def cache_dir() -> Path:
    """Downloaded and derived inputs that never go into git: $ARAMID_CACHE or ~/.cache/aramid."""
    env = os.environ.get("ARAMID_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "aramid"


def jobs() -> int:
    """Parallel jobs for ninja and ctest: $ARAMID_JOBS, else the number of cores."""
    try:
        return max(1, int(os.environ.get("ARAMID_JOBS", "")))
    except ValueError:
        return os.cpu_count() or 1


def note(message: str) -> None:
    print(f"aramid: {message}", file=sys.stderr, flush=True)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Failure(f"'{name}' is not installed (Debian package {package}); run tools/aramid setup")
    return path


def run_checked(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs cmd; a non-zero exit becomes a Failure that names the command."""
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        raise Failure(f"'{' '.join(map(str, cmd))}' failed with status {result.returncode}",
                      code=result.returncode if 0 < result.returncode < 124 else 1)
    return result
