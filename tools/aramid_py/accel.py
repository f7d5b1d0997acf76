"""Which QEMU accelerator to use [QEMU-NOTES.md "Acceleration"].

On the project's machines /dev/kvm exists but is a software hypervisor (kvm_pvm) on a CPU
without vmx/svm: guest ring 0 runs ~1000x slower than TCG and Linux does not boot. So KVM is
chosen only when /dev/kvm can be opened AND /proc/cpuinfo shows vmx or svm; otherwise TCG.
`--accel kvm|tcg` overrides the choice.
"""
from __future__ import annotations

import os

from aramid_py.util import Failure

KVM_DEVICE = "/dev/kvm"
CPUINFO = "/proc/cpuinfo"


def cpu_has_virtualization(cpuinfo: str) -> bool:
    """True when some `flags` line of /proc/cpuinfo lists vmx (Intel VT-x) or svm (AMD-V)."""
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "flags" and {"vmx", "svm"} & set(value.split()):
            return True
    return False


def kvm_usable(device: str = KVM_DEVICE) -> bool:
    try:
        fd = os.open(device, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def choose(requested: str | None, kvm_ok: bool, cpuinfo: str) -> tuple[str, str]:
    """(accelerator, why) for a request of 'kvm', 'tcg' or None (automatic)."""
    if requested == "tcg":
        return "tcg", "--accel tcg"
    if requested == "kvm":
        if not kvm_ok:
            raise Failure(f"--accel kvm: {KVM_DEVICE} cannot be opened", code=2)
        return "kvm", "--accel kvm"
    if requested not in (None, "auto"):
        raise Failure(f"--accel: expected kvm or tcg, not '{requested}'", code=2)
    if not kvm_ok:
        return "tcg", f"{KVM_DEVICE} is not usable"
    if not cpu_has_virtualization(cpuinfo):
        return "tcg", "the CPU has no vmx/svm flag (KVM would be a slow software hypervisor)"
    return "kvm", "KVM is usable and the CPU has vmx/svm"


def detect(requested: str | None = None) -> tuple[str, str]:
    try:
        with open(CPUINFO) as f:
            cpuinfo = f.read()
    except OSError:
        cpuinfo = ""
    return choose(requested, kvm_usable(), cpuinfo)
