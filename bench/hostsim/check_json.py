#!/usr/bin/env python3
"""Smoke test of a hostsim Google Benchmark binary: runs every benchmark briefly with
--benchmark_format=json and checks that the JSON parses, lists at least one benchmark, and
that none reported an error. Usage: check_json.py BINARY"""
import json
import subprocess
import sys


def main() -> int:
    binary = sys.argv[1]
    result = subprocess.run([binary, "--benchmark_format=json", "--benchmark_min_time=0.01"],
                            capture_output=True, text=True, timeout=110)
    if result.returncode != 0:
        print(f"{binary} exited with {result.returncode}\n{result.stderr}")
        return 1
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        print(f"{binary}: --benchmark_format=json did not print JSON: {error}\n{result.stdout[:2000]}")
        return 1
    benchmarks = data.get("benchmarks", [])
    errors = [b["name"] for b in benchmarks if b.get("error_occurred")]
    if not benchmarks:
        print(f"{binary}: no benchmarks in the JSON")
        return 1
    if errors:
        print(f"{binary}: benchmarks reported errors: {', '.join(errors)}")
        return 1
    for b in benchmarks:
        print(f"{b['name']}: {b['real_time']:.1f} {b['time_unit']}")
    print(f"{len(benchmarks)} benchmarks, JSON ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
