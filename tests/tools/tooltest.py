"""Shared setup for the tools' Python tests: import path and the build directory."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
BUILD = Path(os.environ.get("ARAMID_BUILD_DIR", ROOT / "build"))
