"""`tools/aramid bench --boot-time --rounds 1` boots each configuration once and writes a JSON
record in which every configuration has one positive time, Aramid's on microvm included."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import tooltest


def main() -> int:
    with tempfile.TemporaryDirectory(dir=tooltest.BUILD) as out:
        run = subprocess.run([str(tooltest.ROOT / "tools" / "aramid"), "bench", "--no-build",
                              "--boot-time", "--rounds", "1", "--out", out],
                             capture_output=True, text=True, timeout=600)
        print(run.stdout, run.stderr, sep="\n")
        if run.returncode != 0:
            print(f"FAILED: bench --boot-time exited {run.returncode}")
            return 1
        record = json.loads((Path(out) / "boot-time.json").read_text())
        seen = {(r["kernel"], r["machine"]): r for r in record["results"]}
        expected = {("aramid", "microvm"), ("aramid", "pc"), ("linux", "pc")}
        if set(seen) != expected:
            print(f"FAILED: configurations {sorted(seen)}, expected {sorted(expected)}")
            return 1
        for key, r in seen.items():
            if len(r["seconds"]) != 1 or not 0 < r["median_s"] < 120:
                print(f"FAILED: {key}: {r}")
                return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
