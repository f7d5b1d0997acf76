#!/usr/bin/env python3
"""Fails when a hostsim native-mode stub process outlived its simulator.

A stub is a process named `aramid-stub`. While its simulator lives, the simulator traces it
(TracerPid in /proc/PID/status). A stub without a live tracer has outlived the simulator that
made it: that is the leak this test catches. Stubs of simulators still running elsewhere on the
machine (other test suites) are traced and do not count.
"""
import os
import sys
import time


def stubs_without_tracer() -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "aramid-stub":
                    continue
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue  # gone meanwhile
        tracer = int(status.get("TracerPid", "0").strip() or 0)
        state = status.get("State", "?").strip()
        if tracer == 0 or not os.path.exists(f"/proc/{tracer}"):
            found.append(f"pid {pid} state {state} ppid {status.get('PPid', '?').strip()}")
    return found


def main() -> int:
    # A stub of a simulator that has just exited may take a moment to be killed and reaped.
    deadline = time.monotonic() + 5
    while True:
        leaked = stubs_without_tracer()
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if leaked:
        print("stub processes outlived their simulator:\n  " + "\n  ".join(leaked))
        return 1
    print("no leftover aramid-stub processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
