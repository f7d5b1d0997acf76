"""Accelerator choice, QEMU command lines and the exit-status decision, without booting."""
import lzma
import subprocess
import tempfile
import unittest
from pathlib import Path

import tooltest  # noqa: F401
from aramid_py import accel, kernels, linux, qemu
from aramid_py.util import Failure, NotBuiltYet

INTEL_VMX = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae vmx sse2\n"
AMD_SVM = "processor\t: 0\nflags\t\t: fpu lm svm sse4a\n"
# A kvm_pvm host: /dev/kvm is there, the CPU has no hardware virtualization.
NO_VIRT = "processor\t: 0\nflags\t\t: fpu vme lm sse2 hypervisor\nvmx flags\t: ept\n"


class AccelChoice(unittest.TestCase):
    def test_kvm_needs_both_the_device_and_vmx_or_svm(self):
        self.assertEqual(accel.choose(None, True, INTEL_VMX)[0], "kvm")
        self.assertEqual(accel.choose(None, True, AMD_SVM)[0], "kvm")
        self.assertEqual(accel.choose(None, True, NO_VIRT)[0], "tcg")
        self.assertEqual(accel.choose(None, False, INTEL_VMX)[0], "tcg")
        self.assertEqual(accel.choose(None, False, "")[0], "tcg")

    def test_the_reason_is_given(self):
        self.assertIn("vmx/svm", accel.choose(None, True, NO_VIRT)[1])
        self.assertIn("/dev/kvm", accel.choose(None, False, INTEL_VMX)[1])

    def test_flags_are_whole_words_of_the_flags_line(self):
        self.assertFalse(accel.cpu_has_virtualization("flags : vmxsomething svmish\n"))
        self.assertFalse(accel.cpu_has_virtualization("model name : vmx svm\n"))

    def test_overrides(self):
        self.assertEqual(accel.choose("tcg", True, INTEL_VMX)[0], "tcg")
        self.assertEqual(accel.choose("kvm", True, NO_VIRT)[0], "kvm")
        with self.assertRaises(Failure):
            accel.choose("kvm", False, INTEL_VMX)
        with self.assertRaises(Failure):
            accel.choose("hvf", True, INTEL_VMX)


class CommandLine(unittest.TestCase):
    def launch(self, **kw):
        base = dict(kernel=Path("/k"), machine="microvm", accel="tcg",
                    kernel_log=Path("/log"), status_file=Path("/st"))
        base.update(kw)
        return qemu.command(qemu.Launch(**base))

    def test_two_serial_ports_debug_exit_and_debugcon(self):
        cmd = " ".join(self.launch())
        self.assertIn("-no-reboot", cmd)
        self.assertIn("isa-serial,index=0,chardev=user", cmd)
        self.assertIn("isa-serial,index=1,chardev=klog", cmd)
        self.assertIn("file,id=klog,path=/log", cmd)
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", cmd)
        self.assertIn("isa-debugcon,iobase=0xe9,chardev=status", cmd)

    def test_kvm_uses_the_host_cpu_without_arch_capabilities(self):
        self.assertIn("host,-arch-capabilities", self.launch(accel="kvm"))
        self.assertNotIn("-cpu", self.launch(accel="tcg"))

    def test_log_console_and_gdb(self):
        cmd = " ".join(self.launch(kernel_log=None, gdb=True))
        self.assertIn("isa-serial,index=1,chardev=user", cmd)
        self.assertIn(" -s -S", cmd)

    def test_the_command_line_is_one_argument(self):
        cmd = self.launch(append="console=ttyS1 init=/aramid/init")
        self.assertEqual(cmd[cmd.index("-append") + 1], "console=ttyS1 init=/aramid/init")

    def test_qemu_accepts_the_command_line(self):
        # A real QEMU parses our options (the machine is stopped before it boots anything).
        cmd = self.launch(kernel=Path("/nonexistent"), kernel_log=Path("/dev/null"),
                          status_file=Path("/dev/null"))
        result = subprocess.run(cmd, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        # The only complaint may be the missing kernel file.
        self.assertIn(b"/nonexistent", result.stderr)
        self.assertNotIn(b"Invalid", result.stderr)
        self.assertNotIn(b"not found", result.stderr)


class Decision(unittest.TestCase):
    def test_status_record_wins_over_the_7_bits(self):
        o = qemu.decide(((200 << 1) | 1) & 0xFF, False, b"ARAMID-EXIT-STATUS 200\n", b"")
        self.assertEqual((o.status, o.reason), (200, ""))

    def test_debug_exit_alone_gives_7_bits(self):
        self.assertEqual(qemu.decide((42 << 1) | 1, False, b"", b"").status, 42)
        self.assertEqual(qemu.decide(1, False, b"", b"").status, 0)

    def test_timeout_and_panic_are_distinct(self):
        self.assertEqual(qemu.decide(None, True, b"", b"").status, 124)
        log = b"[ 1.0] Kernel panic - not syncing: VFS: Unable to mount root fs\n"
        self.assertEqual(qemu.decide(0, False, b"", log).status, 125)
        self.assertEqual(qemu.decide(255, False, b"", b"\nKERNEL PANIC: boom\n").status, 125)
        self.assertEqual(qemu.decide(None, True, b"ARAMID-EXIT-STATUS 0", log).status, 124)

    def test_stopping_without_a_status_is_a_failure_not_success(self):
        self.assertEqual(qemu.decide(0, False, b"", b"reboot: Power down\n").status, 125)

    def test_qemu_failing_to_start(self):
        o = qemu.decide(1, False, b"", b"", b"qemu: could not open kernel file 'x'\n")
        self.assertEqual(o.status, 126)
        self.assertIn("could not open kernel file", o.reason)
        # Status 0 from a kernel that booted, with a QEMU warning on stderr, is still status 0.
        self.assertEqual(qemu.decide(1, False, b"", b"booted\n", b"qemu: warning: x\n").status, 0)


class KernelImage(unittest.TestCase):
    def test_vmlinux_is_the_xz_stream_that_holds_an_elf(self):
        elf = b"\x7fELF" + b"kernel" * 1000
        decoy = lzma.compress(b"not an elf", format=lzma.FORMAT_XZ)
        blob = b"MZ" + b"\0" * 100 + linux.XZ_MAGIC + b"garbage" + decoy + \
            lzma.compress(elf, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32) + b"\0" * 64
        self.assertEqual(linux.extract_vmlinux(blob), elf)

    def test_no_elf_inside_is_an_error(self):
        with self.assertRaises(Failure):
            linux.extract_vmlinux(b"MZ" + lzma.compress(b"text", format=lzma.FORMAT_XZ))

    def test_module_found_through_modules_dep(self):
        with tempfile.TemporaryDirectory() as tmp:
            modules = Path(tmp) / "6.1.0-test"
            (modules / "kernel/fs/ext4").mkdir(parents=True)
            (modules / "modules.dep").write_text(
                "kernel/fs/jbd2/jbd2.ko.xz: kernel/fs/mbcache.ko\n"
                "kernel/fs/ext4/ext4.ko.xz: kernel/fs/jbd2/jbd2.ko.xz\n"
                "kernel/drivers/virtio/virtio_pci_modern_dev.ko:\n")
            (modules / "kernel/fs/ext4/ext4.ko.xz").write_bytes(lzma.compress(b"\x7fELFmod"))
            linux.MODULES, saved = Path(tmp), linux.MODULES
            try:
                k = linux.Kernel("6.1.0-test", Path("/boot/vmlinuz-6.1.0-test"))
                path = linux.module_path(k, "ext4")
                self.assertEqual(path.name, "ext4.ko.xz")
                self.assertEqual(linux.module_bytes(path), b"\x7fELFmod")
                self.assertEqual(linux.module_path(k, "virtio-pci-modern-dev").name,
                                 "virtio_pci_modern_dev.ko")
                with self.assertRaises(Failure):
                    linux.module_path(k, "nonexistent")
            finally:
                linux.MODULES = saved

    def test_newest_kernel_by_version_not_by_name(self):
        with tempfile.TemporaryDirectory() as tmp:
            for v in ("6.1.0-9-amd64", "6.1.0-10-amd64", "5.10.0-30-amd64"):
                (Path(tmp) / f"vmlinuz-{v}").write_bytes(b"")
            self.assertEqual(linux.newest_kernel(Path(tmp)).version, "6.1.0-10-amd64")
        with tempfile.TemporaryDirectory() as tmp, self.assertRaises(Failure):
            linux.newest_kernel(Path(tmp))


class Capabilities(unittest.TestCase):
    def elf_with(self, source: str) -> Path:
        tmp = Path(tempfile.mkdtemp(prefix="caps-"))
        (tmp / "k.c").write_text(source)
        subprocess.run(["cc", "-c", "-o", str(tmp / "k.o"), str(tmp / "k.c")], check=True)
        return tmp / "k.o"

    def test_capability_symbols_are_read_from_the_image(self):
        image = self.elf_with("const char aramid_capability_init = 1;\n"
                              "const char aramid_capability_login = 1;\nint other;\n")
        self.assertEqual(kernels.aramid_capabilities(image), {"init", "login"})
        kernels.require_capability(image, "init", "exec")

    def test_a_kernel_without_it_is_not_ready_and_says_so(self):
        image = self.elf_with("int kernel_main;\n")
        with self.assertRaises(NotBuiltYet) as caught:
            kernels.require_capability(image, "init", "exec")
        self.assertEqual(caught.exception.code, 2)
        self.assertIn("aramid_capability_init", str(caught.exception))

    def test_a_file_that_is_not_elf_is_an_error(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"not an elf")
            f.flush()
            with self.assertRaises(Failure):
                kernels.aramid_capabilities(Path(f.name))

    def test_command_lines(self):
        linux_k = kernels.Kernel("linux", Path("/v"), "pc")
        aramid_k = kernels.Kernel("aramid", Path("/a"), "microvm")
        self.assertEqual(linux_k.cmdline("/aramid/init"),
                         "console=ttyS1 quiet panic=-1 rdinit=/aramid/init")
        self.assertEqual(aramid_k.cmdline("/sbin/init"), "console=ttyS1 init=/sbin/init")
        self.assertEqual(aramid_k.cmdline("/sbin/init", log_console=True),
                         "console=ttyS0 init=/sbin/init")


if __name__ == "__main__":
    unittest.main()
